import { ApiPropertyOptional, ApiSchema, type SchemaObject } from '@nestjs/swagger';

@ApiSchema({ name: 'healthStatus', description: 'The health status of the service.' })
export class HealthStatus {
  @ApiPropertyOptional({ description: 'Status always contains "ok".' })
  status?: string;
}

/** isReady's 503 body; the contract has it inline, so it gets no schema name here either. */
export const NOT_READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Errors contains a list of errors that caused the not ready status.',
    },
  },
};

/** getVersion's 200 body, inline in the contract as well. */
export const VERSION_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['version'],
  properties: { version: { type: 'string', description: 'The version of the running software.' } },
};
