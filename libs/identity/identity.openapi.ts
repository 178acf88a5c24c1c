import { getSchemaPath, type SchemaObject } from '@nestjs/swagger';

/**
 * Named schemas of the contract that no class can stand for (an array, an untyped value); the
 * OpenAPI document adds them to its components. Referenced by name, so this file imports no DTO.
 */
export const IDENTITY_OPENAPI_SCHEMAS: Record<string, SchemaObject> = {
  jsonPatchDocument: {
    type: 'array',
    description: 'A JSONPatchDocument request',
    items: { $ref: getSchemaPath('jsonPatch') },
  },
  nullJsonRawMessage: { nullable: true, description: 'Any JSON value, or null.' },
};

/**
 * `@ApiProperty` options for a property that holds any JSON value. A declared combinator is the
 * one way to keep `@nestjs/swagger` from writing the TypeScript type (`object`) into the schema.
 */
export const ANY_JSON = { allOf: [{ $ref: getSchemaPath('nullJsonRawMessage') }] };
