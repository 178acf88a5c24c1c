import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Documentation classes for the submission bodies of recovery and verification.

const TRANSIENT = {
  type: 'object',
  additionalProperties: true,
  description: 'Passed on to webhooks; not stored.',
} as const;

/** The `code` and `link` method bodies of one flow; they differ only in names and wording. */
function methodBodies(flow: 'Recovery' | 'Verification', email: { code: string; link: string }) {
  @ApiSchema({ name: `update${flow}FlowWithCodeMethod` })
  class CodeMethodBody {
    @ApiProperty({ enum: ['code'] })
    method!: 'code';

    @ApiPropertyOptional({ description: email.code })
    email?: string;

    @ApiPropertyOptional({ description: 'The code from the message (step 2).' })
    code?: string;

    @ApiPropertyOptional({ description: 'The anti-CSRF token of browser flows.' })
    csrf_token?: string;

    @ApiPropertyOptional(TRANSIENT)
    transient_payload?: Record<string, unknown>;
  }

  @ApiSchema({ name: `update${flow}FlowWithLinkMethod` })
  class LinkMethodBody {
    @ApiProperty({ enum: ['link'] })
    method!: 'link';

    @ApiProperty({ description: email.link })
    email!: string;

    @ApiPropertyOptional({ description: 'The anti-CSRF token of browser flows.' })
    csrf_token?: string;

    @ApiPropertyOptional(TRANSIENT)
    transient_payload?: Record<string, unknown>;
  }

  return { code: CodeMethodBody, link: LinkMethodBody };
}

export const { code: UpdateRecoveryFlowWithCodeMethod, link: UpdateRecoveryFlowWithLinkMethod } =
  methodBodies('Recovery', {
    code: 'The address to send a code to (step 1, or to resend).',
    link: 'The address to send the recovery link to.',
  });

export const { code: UpdateVerificationFlowWithCodeMethod, link: UpdateVerificationFlowWithLinkMethod } =
  methodBodies('Verification', {
    code: 'The address to verify (step 1, or to resend).',
    link: 'The address to send the verification link to.',
  });
