import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { GenericError } from '../errors/index.js';
import { CredentialsType } from './credential.entity.js';
import { RecoveryIdentityAddress, VerifiableIdentityAddress } from './identity.dto.js';
import { ANY_JSON } from './identity.openapi.js';

// Documentation classes for what `identityJson` and `batchCreate` write; nothing validates them.

@ApiSchema({ name: 'identityCredentials', description: 'Credentials represents a specific credential type' })
export class IdentityCredentials {
  @ApiPropertyOptional({ enum: Object.values(CredentialsType), description: 'The credential type.' })
  type?: CredentialsType;

  @ApiPropertyOptional({ type: [String], description: 'The unique identifiers this credential matches.' })
  identifiers?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'The non-secret part of the configuration; only sent when asked for with include_credential.',
  })
  config?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'integer', format: 'int64' })
  version?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  created_at?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  updated_at?: string;
}

@ApiSchema({
  name: 'identity',
  description: 'An identity represents a (human) user.',
})
@ApiExtraModels(IdentityCredentials)
export class Identity {
  @ApiProperty({ format: 'uuid', description: "The identity's unique identifier." })
  id!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(IdentityCredentials) },
    description: 'The credentials of the identity, by type; admin responses only.',
  })
  credentials?: Record<string, IdentityCredentials>;

  @ApiProperty({ description: "The ID of the JSON Schema the identity's traits are validated against." })
  schema_id!: string;

  @ApiProperty({ description: "The URL where the identity's traits schema can be fetched from." })
  schema_url!: string;

  @ApiPropertyOptional({ enum: ['active', 'inactive'] })
  state?: 'active' | 'inactive';

  @ApiPropertyOptional({ format: 'date-time' })
  state_changed_at?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The identity's traits." })
  traits!: Record<string, unknown>;

  @ApiPropertyOptional({ type: [VerifiableIdentityAddress] })
  verifiable_addresses?: VerifiableIdentityAddress[];

  @ApiPropertyOptional({ type: [RecoveryIdentityAddress] })
  recovery_addresses?: RecoveryIdentityAddress[];

  @ApiPropertyOptional({ ...ANY_JSON, description: 'Metadata the identity can see.' })
  metadata_public?: unknown;

  @ApiPropertyOptional({ ...ANY_JSON, description: 'Metadata only admins can see.' })
  metadata_admin?: unknown;

  @ApiPropertyOptional({ format: 'date-time' })
  created_at?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  updated_at?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  organization_id?: string | null;

  @ApiPropertyOptional({ description: 'An optional ID linking the identity to an external system.' })
  external_id?: string;
}

@ApiSchema({ name: 'identityPatchResponse', description: 'Response for a single identity patch' })
export class IdentityPatchResponse {
  @ApiPropertyOptional({ enum: ['create', 'error'], description: 'The action for this specific patch' })
  action?: 'create' | 'error';

  @ApiPropertyOptional({ format: 'uuid', description: 'The ID of the identity the patch created' })
  identity?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The ID of the patch, if the patch had one.' })
  patch_id?: string;

  @ApiPropertyOptional({ type: GenericError, description: 'Why the patch failed, when it did.' })
  error?: GenericError;
}

@ApiSchema({ name: 'batchPatchIdentitiesResponse', description: 'Patch identities response' })
export class BatchPatchIdentitiesResponse {
  @ApiPropertyOptional({
    type: [IdentityPatchResponse],
    description: 'The patch responses for the individual identities.',
  })
  identities?: IdentityPatchResponse[];
}
