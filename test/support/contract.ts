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
  return compiled(`kratos#/components/schemas/${schemaName}`);
}

function compiled(ref: string): ValidateFunction {
  if (!ajv) {
    const contract = loadContract();
    normalize(contract.components);
    normalize(contract.paths);
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'kratos', components: contract.components, paths: contract.paths });
  }
  let validate = cache.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    cache.set(ref, validate);
  }
  return validate;
}

const pointerSegment = (segment: string) =>
  encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));

/**
 * A validator for an operation's JSON response as the contract declares it, also where the
 * schema is inline (getVersion, isAlive) or behind a shared response (listIdentities).
 */
export function contractResponseValidator(operationId: string, status: string): ValidateFunction {
  for (const [path, operations] of Object.entries(loadContract().paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation['operationId'] !== operationId) continue;
      const response = (operation['responses'] as Record<string, Node>)[status];
      if (!response) throw new Error(`the contract has no ${status} response for ${operationId}`);
      const shared = response['$ref'];
      const at =
        typeof shared === 'string'
          ? shared.slice(1)
          : `/paths/${pointerSegment(path)}/${method}/responses/${status}`;
      return compiled(`kratos#${at}/content/application~1json/schema`);
    }
  }
  throw new Error(`the contract has no operation ${operationId}`);
}

/** Asserts a response body matches a contract schema, with ajv's errors in the failure message. */
export function assertMatchesContract(schemaName: string, body: unknown): void {
  assertValid(contractValidator(schemaName), `contract schema "${schemaName}"`, body);
}

/** Asserts a response body matches what the contract declares for that operation and status. */
export function assertMatchesContractResponse(operationId: string, status: string, body: unknown): void {
  assertValid(contractResponseValidator(operationId, status), `${operationId}'s ${status} response`, body);
}

function assertValid(validate: ValidateFunction, what: string, body: unknown): void {
  if (!validate(body)) {
    throw new Error(
      `response does not match ${what}:\n${JSON.stringify(validate.errors, null, 2)}\nbody: ${JSON.stringify(body, null, 2)}`,
    );
  }
}
