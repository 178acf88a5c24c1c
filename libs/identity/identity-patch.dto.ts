import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CreateIdentityBody } from './identity.dto.js';
import { ANY_JSON } from './identity.openapi.js';

// Request bodies of patchIdentity and batchPatchIdentities, for the document only: both
// handlers read the raw body themselves (identity-patch.ts, identity-batch.ts).

const POINTER = 'Uses JSON Pointer notation (RFC 6901).';

@ApiSchema({ name: 'jsonPatch', description: 'A JSONPatch document as defined by RFC 6902' })
export class JsonPatch {
  @ApiProperty({
    enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'],
    description: 'The operation to be performed.',
    example: 'replace',
  })
  op!: string;

  @ApiProperty({ description: `The path to the target path. ${POINTER}`, example: '/name' })
  path!: string;

  @ApiPropertyOptional({
    description: `Used together with operation "move" and "copy". ${POINTER}`,
    example: '/name',
  })
  from?: string;

  @ApiPropertyOptional({ ...ANY_JSON, description: 'The value to be used within the operations.' })
  value?: unknown;
}

@ApiSchema({ name: 'identityPatch', description: 'Payload for patching an identity' })
export class IdentityPatch {
  @ApiPropertyOptional({ type: CreateIdentityBody })
  create?: CreateIdentityBody;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The ID of this patch; if set, the response carries it to correlate results.',
  })
  patch_id?: string;
}

@ApiSchema({ name: 'patchIdentitiesBody', description: 'Patch Identities Body' })
export class PatchIdentitiesBody {
  @ApiPropertyOptional({
    type: [IdentityPatch],
    description: 'Identities holds the list of patches to apply\n\nrequired',
  })
  identities?: IdentityPatch[];
}
