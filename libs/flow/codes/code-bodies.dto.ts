import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Documentation classes for the submission bodies of recovery, verification and the code method.

const TRANSIENT = {
  type: 'object',
  additionalProperties: true,
  description: 'Passed on to webhooks; not stored.',
} as const;

@ApiSchema({ name: 'updateRecoveryFlowWithCodeMethod' })
export class UpdateRecoveryFlowWithCodeMethod {
  @ApiProperty({ enum: ['code'] })
  method!: 'code';

  @ApiPropertyOptional({ description: 'The address to send a code to (step 1, or to resend).' })
  email?: string;

  @ApiPropertyOptional({ description: 'The code from the message (step 2).' })
  code?: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token of browser flows.' })
  csrf_token?: string;

  @ApiPropertyOptional(TRANSIENT)
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateRecoveryFlowWithLinkMethod' })
export class UpdateRecoveryFlowWithLinkMethod {
  @ApiProperty({ enum: ['link'] })
  method!: 'link';

  @ApiProperty({ description: 'The address to send the recovery link to.' })
  email!: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token of browser flows.' })
  csrf_token?: string;

  @ApiPropertyOptional(TRANSIENT)
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateVerificationFlowWithCodeMethod' })
export class UpdateVerificationFlowWithCodeMethod {
  @ApiProperty({ enum: ['code'] })
  method!: 'code';

  @ApiPropertyOptional({ description: 'The address to verify (step 1, or to resend).' })
  email?: string;

  @ApiPropertyOptional({ description: 'The code from the message (step 2).' })
  code?: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token of browser flows.' })
  csrf_token?: string;

  @ApiPropertyOptional(TRANSIENT)
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateVerificationFlowWithLinkMethod' })
export class UpdateVerificationFlowWithLinkMethod {
  @ApiProperty({ enum: ['link'] })
  method!: 'link';

  @ApiProperty({ description: 'The address to send the verification link to.' })
  email!: string;

  @ApiPropertyOptional({ description: 'The anti-CSRF token of browser flows.' })
  csrf_token?: string;

  @ApiPropertyOptional(TRANSIENT)
  transient_payload?: Record<string, unknown>;
}
