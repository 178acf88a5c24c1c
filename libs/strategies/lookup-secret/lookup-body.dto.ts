import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CsrfTokenField, MethodField, TransientPayloadField } from '../body-fields.dto.js';

// Documentation of the bodies `LookupSecretLogin` and `LookupSecretSettings` read.

@ApiSchema({
  name: 'updateLoginFlowWithLookupSecretMethod',
  description: 'Update Login Flow with Lookup Secret Method',
})
export class UpdateLoginFlowWithLookupSecretMethod {
  @MethodField('lookup_secret')
  method!: 'lookup_secret';

  @ApiProperty({ description: 'One of the backup recovery codes.' })
  lookup_secret!: string;

  @CsrfTokenField()
  csrf_token?: string;
}

@ApiSchema({
  name: 'updateSettingsFlowWithLookupMethod',
  description: 'Update Settings Flow with Lookup Method',
})
export class UpdateSettingsFlowWithLookupMethod {
  @MethodField('lookup_secret')
  method!: 'lookup_secret';

  @ApiPropertyOptional({ description: 'Set to true to save the codes just generated.' })
  lookup_secret_confirm?: boolean;

  @ApiPropertyOptional({ description: 'Set to true to remove the backup codes.' })
  lookup_secret_disable?: boolean;

  @ApiPropertyOptional({ description: 'Set to true to generate new backup codes.' })
  lookup_secret_regenerate?: boolean;

  @ApiPropertyOptional({ description: 'Set to true to show the saved backup codes.' })
  lookup_secret_reveal?: boolean;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}
