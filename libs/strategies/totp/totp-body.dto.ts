import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Documentation of the bodies `TotpLogin` and `TotpSettings` read; they check the fields
// themselves, so that a missing one becomes a message on the flow rather than a 400.

@ApiSchema({ name: 'updateLoginFlowWithTotpMethod', description: 'Update Login Flow with TOTP Method' })
export class UpdateLoginFlowWithTotpMethod {
  @ApiProperty({ enum: ['totp'], description: 'Must be `totp` for this method.' })
  method!: 'totp';

  @ApiProperty({ description: 'The TOTP code.' })
  totp_code!: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  })
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateSettingsFlowWithTotpMethod', description: 'Update Settings Flow with TOTP Method' })
export class UpdateSettingsFlowWithTotpMethod {
  @ApiProperty({ enum: ['totp'], description: 'Must be `totp` for this method.' })
  method!: 'totp';

  @ApiPropertyOptional({ description: 'The code from the authenticator app, to link it.' })
  totp_code?: string;

  @ApiPropertyOptional({ description: 'Set to true to unlink the authenticator app.' })
  totp_unlink?: boolean;

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  })
  transient_payload?: Record<string, unknown>;
}
