import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CsrfTokenField, MethodField, TransientPayloadField } from '../body-fields.dto.js';

// Documentation of the bodies `PasswordLogin` and `PasswordRegistration` read; they check the
// fields themselves, so that a missing one becomes a message on the flow rather than a 400.

@ApiSchema({
  name: 'updateLoginFlowWithPasswordMethod',
  description: 'Update Login Flow with Password Method',
})
export class UpdateLoginFlowWithPasswordMethod {
  @MethodField('password')
  method!: 'password';

  @ApiProperty({ description: 'The email or username of the identity signing in.' })
  identifier!: string;

  @ApiProperty({ description: "The identity's password." })
  password!: string;

  @ApiPropertyOptional({ deprecated: true, description: 'The former name of `identifier`.' })
  password_identifier?: string;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({
  name: 'updateRegistrationFlowWithPasswordMethod',
  description: 'Update Registration Flow with Password Method',
})
export class UpdateRegistrationFlowWithPasswordMethod {
  @MethodField('password')
  method!: 'password';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The identity's traits, valid against its identity schema.",
  })
  traits!: Record<string, unknown>;

  @ApiProperty({ description: 'The password to sign the identity up with.' })
  password!: string;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({
  name: 'updateSettingsFlowWithPasswordMethod',
  description: 'Update Settings Flow with Password Method',
})
export class UpdateSettingsFlowWithPasswordMethod {
  @ApiProperty({ description: 'Must be `password` for this method.' })
  method!: string;

  @ApiProperty({ description: 'The new password.' })
  password!: string;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}
