import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Documentation classes for the code method's login and registration bodies.

@ApiSchema({ name: 'updateLoginFlowWithCodeMethod' })
export class UpdateLoginFlowWithCodeMethod {
  @ApiProperty({ enum: ['code'] })
  method!: 'code';

  @ApiProperty({ description: 'The anti-CSRF token; empty for API flows.' })
  csrf_token!: string;

  @ApiPropertyOptional({ description: 'The identifier to send a code to (step 1).' })
  identifier?: string;

  @ApiPropertyOptional({ description: 'The code from the message (step 2).' })
  code?: string;

  @ApiPropertyOptional({ description: "One of the identity's code addresses, for a second factor." })
  address?: string;

  @ApiPropertyOptional({ description: 'Set to `code` to send another code.' })
  resend?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateRegistrationFlowWithCodeMethod' })
export class UpdateRegistrationFlowWithCodeMethod {
  @ApiProperty({ enum: ['code'] })
  method!: 'code';

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The identity traits.' })
  traits!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The code from the message (step 2).' })
  code?: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token of browser flows.' })
  csrf_token?: string;

  @ApiPropertyOptional({ description: 'Set to `code` to send another code.' })
  resend?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  transient_payload?: Record<string, unknown>;
}
