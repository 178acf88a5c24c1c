import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Documentation of the bodies `LookupSecretLogin` and `LookupSecretSettings` read.

@ApiSchema({
  name: 'updateLoginFlowWithLookupSecretMethod',
  description: 'Update Login Flow with Lookup Secret Method',
})
export class UpdateLoginFlowWithLookupSecretMethod {
  @ApiProperty({ enum: ['lookup_secret'], description: 'Must be `lookup_secret` for this method.' })
  method!: 'lookup_secret';

  @ApiProperty({ description: 'One of the backup recovery codes.' })
  lookup_secret!: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;
}

@ApiSchema({
  name: 'updateSettingsFlowWithLookupMethod',
  description: 'Update Settings Flow with Lookup Method',
})
export class UpdateSettingsFlowWithLookupMethod {
  @ApiProperty({ enum: ['lookup_secret'], description: 'Must be `lookup_secret` for this method.' })
  method!: 'lookup_secret';

  @ApiPropertyOptional({ description: 'Set to true to save the codes just generated.' })
  lookup_secret_confirm?: boolean;

  @ApiPropertyOptional({ description: 'Set to true to remove the backup codes.' })
  lookup_secret_disable?: boolean;

  @ApiPropertyOptional({ description: 'Set to true to generate new backup codes.' })
  lookup_secret_regenerate?: boolean;

  @ApiPropertyOptional({ description: 'Set to true to show the saved backup codes.' })
  lookup_secret_reveal?: boolean;

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  })
  transient_payload?: Record<string, unknown>;
}
