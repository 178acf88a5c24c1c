import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CsrfTokenField, MethodField, TransientPayloadField } from '../body-fields.dto.js';

// Documentation of the bodies `TotpLogin` and `TotpSettings` read; they check the fields
// themselves, so that a missing one becomes a message on the flow rather than a 400.

@ApiSchema({ name: 'updateLoginFlowWithTotpMethod', description: 'Update Login Flow with TOTP Method' })
export class UpdateLoginFlowWithTotpMethod {
  @MethodField('totp')
  method!: 'totp';

  @ApiProperty({ description: 'The TOTP code.' })
  totp_code!: string;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateSettingsFlowWithTotpMethod', description: 'Update Settings Flow with TOTP Method' })
export class UpdateSettingsFlowWithTotpMethod {
  @MethodField('totp')
  method!: 'totp';

  @ApiPropertyOptional({ description: 'The code from the authenticator app, to link it.' })
  totp_code?: string;

  @ApiPropertyOptional({ description: 'Set to true to unlink the authenticator app.' })
  totp_unlink?: boolean;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}
