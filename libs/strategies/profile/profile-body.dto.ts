import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CsrfTokenField, TransientPayloadField } from '../body-fields.dto.js';

// Documentation of the body `ProfileStrategy` reads; it checks the fields itself.

@ApiSchema({
  name: 'updateSettingsFlowWithProfileMethod',
  description: 'Update Settings Flow with Profile Method',
})
export class UpdateSettingsFlowWithProfileMethod {
  @ApiProperty({ description: 'Must be `profile` for this method.' })
  method!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The identity's traits, all of them, valid against its identity schema.",
  })
  traits!: Record<string, unknown>;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({
  name: 'updateRegistrationFlowWithProfileMethod',
  description: 'Update Registration Flow with Profile Method',
})
export class UpdateRegistrationFlowWithProfileMethod {
  @ApiProperty({ description: '`profile` to go on from the traits to the credential methods.' })
  method!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The identity's traits, valid against its identity schema.",
  })
  traits!: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: ['credential-selection', 'previous'],
    description: '`previous` goes back to the traits; `credential-selection` back to the credential methods.',
  })
  screen?: 'credential-selection' | 'previous';

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}
