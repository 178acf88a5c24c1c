import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** Documentation of what `FlowErrorController` writes. */
@ApiSchema({ name: 'flowError', description: 'An error a browser was sent to the error UI for.' })
export class FlowError {
  @ApiProperty({ format: 'uuid', description: 'The error ID, from the `id` query of the error UI.' })
  id!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The error, as in the `error` of the error envelope.',
  })
  error?: Record<string, unknown>;

  @ApiPropertyOptional({ format: 'date-time' })
  created_at?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  updated_at?: string;
}
