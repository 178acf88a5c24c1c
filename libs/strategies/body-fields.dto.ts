import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// The fields the strategies' submission bodies document alike.

/** `method`, naming the one strategy the body is for. */
export const MethodField = (method: string) =>
  ApiProperty({ enum: [method], description: `Must be \`${method}\` for this method.` });

export const CsrfTokenField = () =>
  ApiPropertyOptional({ description: 'The anti-CSRF token; required for browser flows only.' });

export const TransientPayloadField = () =>
  ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Data passed along to webhooks, and kept on the flow.',
  });
