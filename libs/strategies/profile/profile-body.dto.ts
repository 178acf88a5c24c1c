import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

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

  @ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' })
  csrf_token?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  })
  transient_payload?: Record<string, unknown>;
}
