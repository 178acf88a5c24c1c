import { ApiProperty, ApiSchema, getSchemaPath, type SchemaObject } from '@nestjs/swagger';
import { type JsonObject } from './identity-schema.types.js';

/** Wire shape of `identitySchemaContainer`: one entry of `GET /schemas`. */
@ApiSchema({ name: 'identitySchemaContainer', description: 'An Identity JSON Schema Container' })
export class IdentitySchemaContainer {
  @ApiProperty({ description: 'The ID of the Identity JSON Schema' })
  id!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The actual Identity JSON Schema' })
  schema!: JsonObject;
}

/**
 * Named schemas of the contract that no class can stand for (an array, a raw JSON Schema);
 * the OpenAPI document adds them to its components.
 */
export const SCHEMA_OPENAPI_SCHEMAS: Record<string, SchemaObject> = {
  identitySchemas: {
    type: 'array',
    description: 'List of Identity JSON Schemas',
    items: { $ref: getSchemaPath(IdentitySchemaContainer) },
  },
  identitySchema: { type: 'object', description: 'Raw JSON Schema' },
};
