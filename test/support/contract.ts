import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const CONTRACT_PATH = join(import.meta.dirname, '../fixtures/kratos/openapi.json');

type Node = Record<string, unknown>;

export function loadContract(): Node & {
  paths: Record<string, Record<string, Node>>;
  components: { schemas: Record<string, Node> };
} {
  return JSON.parse(readFileSync(CONTRACT_PATH, 'utf8'));
}

/**
 * go-swagger renders Go's map[string]interface{} as `{type: object, additionalProperties: false}`
 * with no properties, which would forbid every key (genericError.details). Read it as the
 * free-form object it means; every other rule of the contract stays as written.
 */
function normalize(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(normalize);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Node;
  openApiNullable(schema);
  if (schema['additionalProperties'] === false && !schema['properties'] && schema['type'] === 'object') {
    delete schema['additionalProperties'];
  }
  Object.values(schema).forEach(normalize);
}

/** OpenAPI 3.0's `nullable` next to a `$ref` or without a `type`, in JSON Schema terms. */
function openApiNullable(schema: Node): void {
  if (schema['nullable'] !== true || schema['type']) return;
  delete schema['nullable'];
  if (typeof schema['$ref'] === 'string') {
    schema['anyOf'] = [{ $ref: schema['$ref'] }, { type: 'null' }];
    delete schema['$ref'];
  }
}

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

/** A validator for one of the contract's component schemas, e.g. `identity` or `errorGeneric`. */
export function contractValidator(schemaName: string): ValidateFunction {
  if (!ajv) {
    const contract = loadContract();
    normalize(contract.components);
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'kratos', components: contract.components });
  }
  let validate = cache.get(schemaName);
  if (!validate) {
    validate = ajv.compile({ $ref: `kratos#/components/schemas/${schemaName}` });
    cache.set(schemaName, validate);
  }
  return validate;
}

/** Asserts a response body matches a contract schema, with ajv's errors in the failure message. */
export function assertMatchesContract(schemaName: string, body: unknown): void {
  const validate = contractValidator(schemaName);
  if (!validate(body)) {
    throw new Error(
      `response does not match contract schema "${schemaName}":\n${JSON.stringify(validate.errors, null, 2)}\nbody: ${JSON.stringify(body, null, 2)}`,
    );
  }
}
