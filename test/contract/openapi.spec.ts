import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract, assertMatchesContractResponse, loadContract } from '../support/contract.js';
import { startTessera, type TesseraProcess } from '../support/tessera-process.js';

/** Every operation we claim to serve as Kratos does. Dropping one from the document must fail here. */
const CLAIMED = [
  'createIdentity',
  'getIdentity',
  'updateIdentity',
  'patchIdentity',
  'deleteIdentity',
  'listIdentities',
  'getIdentityByExternalID',
  'batchPatchIdentities',
  'deleteIdentityCredentials',
  'listIdentitySchemas',
  'getIdentitySchema',
  'isAlive',
  'isReady',
  'getVersion',
  'toSession',
  'listMySessions',
  'disableMyOtherSessions',
  'disableMySession',
  'exchangeSessionToken',
  'listSessions',
  'getSession',
  'disableSession',
  'extendSession',
  'listIdentitySessions',
  'deleteIdentitySessions',
  'createBrowserLoginFlow',
  'createNativeLoginFlow',
  'getLoginFlow',
  'updateLoginFlow',
  'createBrowserRegistrationFlow',
  'createNativeRegistrationFlow',
  'getRegistrationFlow',
  'updateRegistrationFlow',
  'createBrowserSettingsFlow',
  'createNativeSettingsFlow',
  'getSettingsFlow',
  'updateSettingsFlow',
  'createBrowserLogoutFlow',
  'updateLogoutFlow',
  'performNativeLogout',
  'getFlowError',
  'getWebAuthnJavaScript',
  'createBrowserRecoveryFlow',
  'createNativeRecoveryFlow',
  'getRecoveryFlow',
  'updateRecoveryFlow',
  'createBrowserVerificationFlow',
  'createNativeVerificationFlow',
  'getVerificationFlow',
  'updateVerificationFlow',
  'createRecoveryCodeForIdentity',
  'createRecoveryLinkForIdentity',
  'listCourierMessages',
  'getCourierMessage',
  'createFedcmFlow',
  'updateFedcmFlow',
];

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
}
interface Parameter {
  $ref?: string;
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
type Content = Record<string, { schema?: Schema }>;
interface Response {
  $ref?: string;
  content?: Content;
}
interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { $ref?: string; content?: Content };
  responses: Record<string, Response>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown> | undefined> & { schemas?: Record<string, Schema> };
}
interface Located {
  path: string;
  method: string;
  operation: Operation;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** Where each operationId is listed; more than one place (e.g. on both ports) is an error. */
function operationsOf(doc: OpenApiDocument): Map<string, Located[]> {
  const operations = new Map<string, Located[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const id = operation.operationId ?? `${method.toUpperCase()} ${path}`;
      operations.set(id, [...(operations.get(id) ?? []), { path, method, operation }]);
    }
  }
  return operations;
}

/** Follows a `$ref` to a shared response, parameter or request body of the same document. */
function deref<T extends { $ref?: string }>(doc: OpenApiDocument, node: T): T {
  const match = node.$ref?.match(/^#\/components\/(responses|parameters|requestBodies)\/(.+)$/);
  if (!match) return node;
  const target = doc.components?.[match[1]!]?.[match[2]!];
  if (!target) throw new Error(`dangling ${node.$ref}`);
  return deref(doc, target as T);
}

const refName = (schema?: Schema) => schema?.$ref?.split('/').at(-1);

/** The component schema a JSON body names: `identity`, or `identity[]` for an array of them. */
function namedSchema(content?: Content): string | undefined {
  const schema = content?.['application/json']?.schema;
  const items = schema?.type === 'array' ? refName(schema.items) : undefined;
  return refName(schema) ?? (items && `${items}[]`);
}

const typeOf = (schema?: Schema) =>
  schema?.type === 'array' ? `${schema.items?.type}[]` : String(schema?.type);
const enumOf = (schema?: Schema) => (schema?.type === 'array' ? schema.items?.enum : schema?.enum);
// Header names are case-insensitive: the contract spells both `Cookie` and `cookie`.
const key = (p: Parameter) => `${p.in} ${p.in === 'header' ? p.name.toLowerCase() : p.name}`;

function parameterProblems(ours: Parameter[], theirs: Parameter[]): string[] {
  const problems: string[] = [];
  const byKey = new Map(ours.map((p) => [key(p), p]));
  for (const expected of theirs) {
    const actual = byKey.get(key(expected));
    if (!actual) {
      problems.push(`missing parameter ${key(expected)}`);
      continue;
    }
    if (Boolean(actual.required) !== Boolean(expected.required)) {
      problems.push(
        `${key(expected)}: required ${Boolean(actual.required)}, contract ${Boolean(expected.required)}`,
      );
    }
    if (typeOf(actual.schema) !== typeOf(expected.schema)) {
      problems.push(`${key(expected)}: type ${typeOf(actual.schema)}, contract ${typeOf(expected.schema)}`);
    }
    // Advertising fewer values than the contract is honest when we reject the others.
    const allowed = enumOf(expected.schema);
    const extra = enumOf(actual.schema)?.filter((value) => allowed && !allowed.includes(value));
    if (extra?.length) problems.push(`${key(expected)}: values ${extra.join(', ')} not in the contract`);
  }
  const known = new Set(theirs.map(key));
  for (const p of ours) {
    if (p.required && !known.has(key(p))) problems.push(`extra required parameter ${key(p)}`);
  }
  return problems;
}

function responseProblems(
  ours: OpenApiDocument,
  oursOp: Operation,
  contract: OpenApiDocument,
  op: Operation,
) {
  const problems: string[] = [];
  for (const [status, declared] of Object.entries(op.responses)) {
    const expected = namedSchema(deref(contract, declared).content);
    const response = oursOp.responses[status];
    if (!response) {
      if (status.startsWith('2') || expected) problems.push(`missing ${status} response`);
      continue;
    }
    const actual = namedSchema(deref(ours, response).content);
    if (expected && actual !== expected) {
      problems.push(`${status} response names ${actual ?? 'no schema'}, contract ${expected}`);
    }
  }
  return problems;
}

/** Every way an operation of ours differs from the contract's operation of the same id. */
function operationProblems(ours: OpenApiDocument, contract: OpenApiDocument, id: string): string[] {
  const listed = operationsOf(ours).get(id) ?? [];
  const [mine] = listed;
  const [theirs] = operationsOf(contract).get(id) ?? [];
  if (!mine) return ['not in the served document'];
  if (!theirs) return ['not in the contract'];
  const problems: string[] = [];
  if (listed.length > 1) {
    problems.push(`served ${listed.length} times: ${listed.map((l) => `${l.method} ${l.path}`).join(', ')}`);
  }
  if (mine.path !== theirs.path || mine.method !== theirs.method) {
    problems.push(`served as ${mine.method} ${mine.path}, contract ${theirs.method} ${theirs.path}`);
  }
  const params = (doc: OpenApiDocument, op: Operation) => (op.parameters ?? []).map((p) => deref(doc, p));
  problems.push(...parameterProblems(params(ours, mine.operation), params(contract, theirs.operation)));
  const body = (doc: OpenApiDocument, op: Operation) =>
    op.requestBody && namedSchema(deref(doc, op.requestBody).content);
  const expectedBody = body(contract, theirs.operation);
  const actualBody = body(ours, mine.operation);
  if (expectedBody && actualBody !== expectedBody) {
    problems.push(`request body names ${actualBody ?? 'no schema'}, contract ${expectedBody}`);
  }
  problems.push(...responseProblems(ours, mine.operation, contract, theirs.operation));
  return problems;
}

function refsOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsOf);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsOf(v)));
}

const contract = loadContract() as unknown as OpenApiDocument;
let tessera: TesseraProcess;
let served: OpenApiDocument;

beforeAll(async () => {
  tessera = await startTessera();
  const response = await fetch(`${tessera.adminUrl}/openapi.json`);
  expect(response.status).toBe(200);
  served = (await response.json()) as OpenApiDocument;
});

afterAll(async () => {
  await tessera?.stop();
});

describe('the served OpenAPI document', () => {
  it('is served with Swagger UI on the admin port, and neither on the public port', async () => {
    const docs = await fetch(`${tessera.adminUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await docs.text()).toContain('swagger-ui');
    for (const path of ['/openapi.json', '/docs', '/admin/openapi.json', '/admin/docs']) {
      const response = await fetch(`${tessera.publicUrl}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(404);
    }
  });

  it('claims exactly the listed operations', () => {
    expect([...operationsOf(served).keys()].sort()).toEqual([...CLAIMED].sort());
  });

  it('lists each operation once, so none is served on both ports', () => {
    const repeated = [...operationsOf(served)].filter(([, where]) => where.length > 1).map(([id]) => id);
    expect(repeated).toEqual([]);
  });

  it.each(CLAIMED)('%s has the contract path, method, parameters, body and response schemas', (id) => {
    expect(operationProblems(served, contract, id)).toEqual([]);
  });

  it('resolves every $ref it contains', () => {
    const dangling = refsOf(served).filter((ref) => {
      const [, section, name] = ref.match(/^#\/components\/(\w+)\/(.+)$/) ?? [];
      return !section || !name || !served.components?.[section]?.[name];
    });
    expect(dangling).toEqual([]);
  });

  it('keeps the properties and required fields of the contract schemas it shares a name with', () => {
    const problems: string[] = [];
    for (const [name, ours] of Object.entries(served.components?.schemas ?? {})) {
      const theirs = contract.components?.schemas?.[name];
      if (!theirs) continue;
      if (theirs.type && ours.type !== theirs.type) problems.push(`${name}: type ${ours.type}`);
      const extra = Object.keys(ours.properties ?? {}).filter((p) => !theirs.properties?.[p]);
      if (extra.length > 0) problems.push(`${name}: properties ${extra.join(', ')} not in the contract`);
      const required = (schema: Schema) => [...(schema.required ?? [])].sort().join(', ');
      if (required(ours) !== required(theirs)) {
        problems.push(`${name}: requires [${required(ours)}], contract [${required(theirs)}]`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('response bodies of the metadata and schema operations', () => {
  const getJson = async (path: string) => {
    const response = await fetch(`${tessera.publicUrl}${path}`);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type'), path).toMatch(/^application\/json/);
    return (await response.json()) as unknown;
  };

  it('isAlive and isReady answer a healthStatus', async () => {
    for (const [id, path] of [
      ['isAlive', '/health/alive'],
      ['isReady', '/health/ready'],
    ] as const) {
      const body = await getJson(path);
      assertMatchesContract('healthStatus', body);
      assertMatchesContractResponse(id, '200', body);
    }
  });

  it('getVersion answers its inline schema', async () => {
    assertMatchesContractResponse('getVersion', '200', await getJson('/version'));
  });

  it('listIdentitySchemas answers identitySchemas, and getIdentitySchema each raw schema', async () => {
    const list = (await getJson('/schemas')) as { id: string; schema: unknown }[];
    assertMatchesContract('identitySchemas', list);
    assertMatchesContractResponse('listIdentitySchemas', '200', list);
    expect(list.length).toBeGreaterThan(0);
    for (const { id, schema } of list) {
      const raw = await getJson(`/schemas/${encodeURIComponent(id)}`);
      assertMatchesContract('identitySchema', raw);
      expect(raw).toEqual(schema);
    }
  });
});
