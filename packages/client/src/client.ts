// A thin, typed fetch wrapper over the generated operation table and types. Hand-written; only
// schema.ts and operations.ts are generated.
import { OPERATIONS, type OperationId } from './operations.js';
import type { operations } from './schema.js';

type Operation<K extends OperationId> = operations[K];
type Defined<T> = Exclude<T, undefined>;

/** The parts of a request the document describes: path, query and header parameters, JSON body. */
type Parameters<K extends OperationId> = Operation<K>['parameters'];
type ParameterParts<K extends OperationId> = {
  [
    P in keyof Parameters<K> as P extends 'cookie'
      ? never
      : [Defined<Parameters<K>[P]>] extends [never]
        ? never
        : P
  ]: Parameters<K>[P];
};
type BodyPart<K extends OperationId> = [Defined<Operation<K>['requestBody']>] extends [never]
  ? object
  : Defined<Operation<K>['requestBody']> extends { content: { 'application/json': infer B } }
    ? { body: B }
    : object;
export type RequestOf<K extends OperationId> = ParameterParts<K> & BodyPart<K> & { init?: RequestInit };

type Responses<K extends OperationId> = Operation<K>['responses'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
type SuccessStatus = 200 | 201 | 204;
/** The answer: `ok` with the success body, or the status and body of an error (the error envelope). */
export type ResultOf<K extends OperationId> =
  | {
      ok: true;
      status: number;
      headers: Headers;
      data: JsonOf<Responses<K>[SuccessStatus & keyof Responses<K>]>;
    }
  | { ok: false; status: number; headers: Headers; error: unknown };

/** A required argument only where the operation has a required part. */
type Args<K extends OperationId> =
  object extends RequestOf<K> ? [request?: RequestOf<K>] : [request: RequestOf<K>];

export type TesseraClient = {
  [K in OperationId]: (...args: Args<K>) => Promise<ResultOf<K>>;
};

export interface ClientOptions {
  /** The public API, e.g. http://127.0.0.1:4433 */
  publicUrl: string;
  /** The admin API (e.g. http://127.0.0.1:4434); needed only for `/admin` operations. */
  adminUrl?: string;
  fetch?: typeof fetch;
}

interface LooseRequest {
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  header?: Record<string, string | undefined>;
  body?: unknown;
  init?: RequestInit;
}

function urlOf(base: string, template: string, request: LooseRequest): URL {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = request.path?.[name];
    if (value === undefined) throw new TypeError(`path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
  const url = new URL(path, base);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) url.searchParams.append(key, String(item));
    }
  }
  return url;
}

async function call(
  options: ClientOptions,
  id: OperationId,
  request: LooseRequest = {},
): Promise<ResultOf<OperationId>> {
  const operation = OPERATIONS[id];
  const base = operation.admin ? options.adminUrl : options.publicUrl;
  if (!base) throw new TypeError(`${id} is an admin operation: set adminUrl`);
  const headers = new Headers(request.init?.headers);
  headers.set('Accept', 'application/json');
  for (const [name, value] of Object.entries(request.header ?? {}))
    if (value !== undefined) headers.set(name, value);
  if (request.body !== undefined) headers.set('Content-Type', 'application/json');
  const response = await (options.fetch ?? fetch)(urlOf(base, operation.path, request), {
    redirect: 'manual',
    ...request.init,
    method: operation.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  const json: unknown =
    text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text || undefined;
  return response.ok
    ? { ok: true, status: response.status, headers: response.headers, data: json as never }
    : { ok: false, status: response.status, headers: response.headers, error: json };
}

/** One method per operation of Tessera's document, named by its operationId. */
export function createTesseraClient(options: ClientOptions): TesseraClient {
  const entries = (Object.keys(OPERATIONS) as OperationId[]).map((id) => [
    id,
    (request?: LooseRequest) => call(options, id, request),
  ]);
  return Object.fromEntries(entries) as TesseraClient;
}
