import { ApiProperty, ApiSchema } from '@nestjs/swagger';
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
