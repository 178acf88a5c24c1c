import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Documentation of the bodies `PasswordLogin` and `PasswordRegistration` read; they check the
// fields themselves, so that a missing one becomes a message on the flow rather than a 400.

@ApiSchema({
  name: 'updateLoginFlowWithPasswordMethod',
  description: 'Update Login Flow with Password Method',
})
export class UpdateLoginFlowWithPasswordMethod {
  @ApiProperty({ enum: ['password'], description: 'Must be `password` for this method.' })
  method!: 'password';

  @ApiProperty({ description: 'The email or username of the identity signing in.' })
  identifier!: string;

  @ApiProperty({ description: "The identity's password." })
  password!: string;

  @ApiPropertyOptional({ deprecated: true, description: 'The former name of `identifier`.' })
  password_identifier?: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  })
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({
  name: 'updateRegistrationFlowWithPasswordMethod',
  description: 'Update Registration Flow with Password Method',
})
export class UpdateRegistrationFlowWithPasswordMethod {
  @ApiProperty({ enum: ['password'], description: 'Must be `password` for this method.' })
  method!: 'password';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The identity's traits, valid against its identity schema.",
  })
  traits!: Record<string, unknown>;

  @ApiProperty({ description: 'The password to sign the identity up with.' })
  password!: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  })
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

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  })
  transient_payload?: Record<string, unknown>;
}
