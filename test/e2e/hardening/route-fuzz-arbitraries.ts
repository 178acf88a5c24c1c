import fc from 'fast-check';
import { loadContract } from '../../support/contract.js';

// What the route fuzzer sends, as fast-check arbitraries: the contract's operations, and for each
// the path, query, headers and body a careless or hostile client might write.

type Schema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The contract's template, e.g. `/admin/identities/{id}`. */
  template: string;
  port: 'public' | 'admin';
  parameters: Parameter[];
  body?: Schema;
}

/** Real objects made before fuzzing, so that requests reach past the 404s. */
export interface Seeded {
  /** Path parameter values by what they name: identity, session, message, external, schema. */
  ids: Record<string, string[]>;
  /** Strings a body or query may carry: flow ids, tokens, CSRF tokens, addresses, passwords. */
  strings: string[];
  /** Session tokens and cookie headers a client may present. */
  tokens: string[];
  cookies: string[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export function contractOperations(): Operation[] {
  const contract = loadContract();
  return Object.entries(contract.paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const content = (operation['requestBody'] as { content?: Record<string, { schema: Schema }> })?.content;
      return {
        method: method.toUpperCase(),
        template,
        port: template.startsWith('/admin/') ? ('admin' as const) : ('public' as const),
        parameters: (operation['parameters'] as Parameter[] | undefined) ?? [],
        body: content ? Object.values(content)[0]!.schema : undefined,
      };
    }),
  );
}

/** Percent-encodes every byte that is not unreserved, lone surrogates included. */
export const pct = (value: string): string =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

/**
 * Long, but within Node's 16 KiB for the request line and headers together: past it the HTTP
 * server itself answers 431 and drops the connection, before any of Tessera's code runs.
 */
const LONG = 2000;

/** Bytes node:http sends as they are in a request line: no controls, spaces, `/`, `?` or `#`. */
const rawPathChar = fc
  .integer({ min: 0x21, max: 0xff })
  .filter((code) => code !== 0x7f && code !== 0x2f && code !== 0x3f && code !== 0x23)
  .map((code) => String.fromCharCode(code));

const SPECIAL_SEGMENTS = [
  '%00',
  'x%00y',
  '%ZZ',
  '%',
  '%E0%A4%A',
  '%C0%AE',
  '..',
  '%2e%2e',
  '..%2f..%2fadmin',
  '%2F',
  'null',
  'undefined',
  '-1',
  '0',
  '1e400',
  "'%20OR%201=1--",
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '__proto__',
  'constructor',
  '%7B%7D',
];

/** A path parameter: a real id most often, else anything. */
export function pathValue(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: known.length > 0 ? 10 : 0,
      arbitrary: fc.constantFrom(...(known.length ? known : ['x'])).map(pct),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.uuid(), fc.boolean()).map(([id, up]) => (up ? id.toUpperCase() : id)),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(pct) },
    { weight: 1, arbitrary: fc.string({ unit: rawPathChar, minLength: 1, maxLength: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_SEGMENTS) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: LONG }).map((n) => 'a'.repeat(n)) },
  );
}

/** A scalar as a client might write it where any type is wanted. */
const junkScalar = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, '', ' ', '\u0000'),
  fc.constantFrom('a\u0000b', 'NaN', 'Infinity', '-0', '{}', '[]', 'true', '1e400', '\u202e\ud800'),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer(),
  fc.double(),
);

/** Arrays and objects nested deeper than any schema goes. */
const deep = fc.integer({ min: 10, max: 200 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
});

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: junkScalar },
  { weight: 1, arbitrary: deep },
  { weight: 2, arbitrary: fc.array(junkScalar, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), junkScalar, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({ $ne: null }, { $gt: '' }, { toString: 1 }, [[]]) },
);

function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  let current = schema;
  for (let i = 0; i < 10 && typeof current['$ref'] === 'string'; i++) {
    current = components[(current['$ref'] as string).split('/').at(-1)!] ?? {};
  }
  return current;
}

/** Values that reach deeper than random text where a field of this name is read. */
const HINTS: Record<string, unknown[]> = {
  op: ['add', 'remove', 'replace', 'move', 'copy', 'test', 'ADD', ''],
  path: [
    '/traits/email',
    '/state',
    '/verifiable_addresses',
    '/verifiable_addresses/-',
    '/verifiable_addresses/0/value',
    '/recovery_addresses',
    '/recovery_addresses/-',
    '/metadata_public',
    '/credentials/password/config/hashed_password',
    '/schema_id',
    '/',
    '/traits/~2',
  ],
  expires_in: ['1h', '15m', '0s', '-1h', '1ns', '99999999999999999999h', '2562048h', '1e9h', 'forever'],
  external_id: ['fuzz-external-1', 'x'.repeat(100_000), '\u0000'],
  organization_id: ['not-a-uuid', '00000000-0000-0000-0000-000000000000', '\u0000'],
  schema_id: ['default', 'missing', '../default', ''],
  state: ['active', 'inactive', 'deleted'],
  email: ['a@example.org', 'not-an-address', `${'x'.repeat(400)}@example.org`, '\u0000@example.org'],
  identifier: ['a@example.org', '', '\u0000'],
  value: [[null], [{}], [{ value: 'a@example.org', via: 'email', verified: true, status: 'completed' }]],
};
HINTS['from'] = HINTS['path']!;

interface Context {
  strings: string[];
  hints: Record<string, unknown[]>;
  components: Record<string, Schema>;
}

/** A value shaped like the schema, with any part of it replaced by junk now and then. */
export function schemaValue(schema: Schema, seeded: Seeded): fc.Arbitrary<unknown> {
  const hints = { ...HINTS, identity_id: [...(seeded.ids['identity'] ?? []), 'not-a-uuid'] };
  return valueOf(
    schema,
    { strings: seeded.strings, hints, components: loadContract().components.schemas },
    0,
  );
}

function valueOf(schema: Schema, ctx: Context, depth: number, name = ''): fc.Arbitrary<unknown> {
  const node = resolve(schema, ctx.components);
  const shaped = depth > 5 ? junkScalar : shapedValue(node, ctx, depth, name);
  const hinted = ctx.hints[name] ?? (typeof node['example'] === 'string' ? [node['example']] : []);
  // A field with hints gets them most of the time: the bugs hide in combinations of valid fields.
  return fc.oneof(
    { weight: 4, arbitrary: shaped },
    { weight: hinted.length ? 12 : 0, arbitrary: fc.constantFrom(...hinted, null) },
    { weight: 1, arbitrary: junkValue },
  );
}

function shapedValue(node: Schema, ctx: Context, depth: number, name: string): fc.Arbitrary<unknown> {
  const choices = (node['oneOf'] ?? node['anyOf']) as Schema[] | undefined;
  if (choices) return fc.oneof(...choices.map((s) => valueOf(s, ctx, depth + 1, name)));
  if (Array.isArray(node['allOf'])) {
    const merged = (node['allOf'] as Schema[]).map((s) => resolve(s, ctx.components));
    const properties = Object.assign({}, ...merged.map((s) => s['properties'] ?? {}));
    return shapedValue({ type: 'object', properties }, ctx, depth, name);
  }
  if (Array.isArray(node['enum'])) return fc.constantFrom(...(node['enum'] as unknown[]));
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ctx.strings) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
  );
  switch (node['type']) {
    case 'string':
      return text;
    case 'integer':
      return fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER));
    case 'number':
      return fc.double();
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueOf((node['items'] as Schema) ?? {}, ctx, depth + 1), { maxLength: 3 });
    case 'object':
      return objectValue(node, ctx, depth, text);
    default:
      // Untyped (a patch's `value`, free-form metadata): anything at all.
      return node['properties'] ? objectValue(node, ctx, depth, text) : fc.oneof(text, junkValue);
  }
}

function objectValue(
  node: Schema,
  ctx: Context,
  depth: number,
  text: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  const properties = (node['properties'] ?? {}) as Record<string, Schema>;
  const names = Object.keys(properties);
  if (names.length === 0) {
    return fc.dictionary(fc.constantFrom('email', 'name', 'a', 'traits', 'x'), text, { maxKeys: 3 });
  }
  const record = fc.record(
    Object.fromEntries(names.map((name) => [name, valueOf(properties[name]!, ctx, depth + 1, name)])),
    { requiredKeys: [] },
  );
  const unknownKeys = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype')),
    junkValue,
    { maxKeys: 2 },
  );
  return fc
    .tuple(record, fc.option(unknownKeys, { freq: 4 }))
    .map(([known, extra]) => (extra ? { ...extra, ...known } : known));
}

/** `a.b=c` the way Kratos' HTML forms name nested fields, or `a[b]=c` for qs. */
function formEncode(value: unknown, brackets: boolean, prefix = ''): string[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
      const name = prefix ? (brackets ? `${prefix}[${key}]` : `${prefix}.${key}`) : key;
      return formEncode(inner, brackets, name);
    });
  }
  return [`${encodeURIComponent(prefix || 'value')}=${pct(String(value))}`];
}

/** JSON most often, so that most bodies reach the handler; every other way now and then. */
const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'form-brackets') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/merge-patch+json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'none',
    ),
  },
);

/** A body for the operation's schema, written in one of the ways a client might send it. */
export function bodyOf(operation: Operation, seeded: Seeded): fc.Arbitrary<{ type?: string; text?: string }> {
  const value = operation.body ? schemaValue(operation.body, seeded) : junkValue;
  const broken = fc.constantFrom('{"a":', '{', '[', 'nul', '"\\u00"', '{"a":1}{', '\u0000', '%', '=&=&');
  return fc
    .tuple(contentType, value, fc.option(broken, { freq: 12 }), fc.boolean())
    .map(([type, body, raw, omit]) => {
      if (omit && !operation.body) return {};
      if (type === 'application/x-www-form-urlencoded' || type === 'form-brackets') {
        const text = raw ?? formEncode(body, type === 'form-brackets').join('&');
        return { type: 'application/x-www-form-urlencoded', text };
      }
      const text = raw ?? JSON.stringify(body) ?? '';
      return type === 'none' ? { text } : { type, text };
    });
}

/** Query values that reach past the first check where a parameter of this name is read. */
const QUERY_HINTS: Record<string, string[]> = {
  credentials_identifier: ['a@example.org', 'a\u0000b', '%'],
  preview_credentials_identifier_similar: ['a', 'a\u0000b', '%_'],
  recipient: ['a@example.org', '\u0000', '%'],
  organization_id: ['not-a-uuid', '00000000-0000-0000-0000-000000000000'],
  expand: ['identity', 'devices', 'identity,devices', 'x'],
  include_credential: ['password', 'oidc', 'totp', 'x'],
  ids: ['00000000-0000-0000-0000-000000000000', 'not-a-uuid'],
  aal: ['aal1', 'aal2', 'AAL2', 'aal3'],
  refresh: ['true', '1', 'yes'],
  active: ['true', 'false', 'maybe'],
  page: ['0', '-1', '1e308', '99999999999999999999', '1.5'],
  per_page: ['0', '1', '1001', '1e308'],
  page_size: ['0', '1', '1001', '1e308'],
  page_token: ['eyJvZmZzZXQiOiIxZTMwOCIsInYiOjJ9', 'eyJvZmZzZXQiOiItMSJ9', 'x'],
  status: ['queued', 'sent', 'abandoned', 'processing', 'x'],
  consistency: ['strong', 'eventual', 'x'],
  tokenize_as: ['x', ''],
};

/** The query string: declared parameters with mutated values, repeated, bracketed or unknown. */
export function queryOf(operation: Operation, strings: string[]): fc.Arbitrary<string> {
  const declared = operation.parameters.filter((p) => p.in === 'query');
  const undeclared = fc.constantFrom('flow', 'id', 'return_to', 'token', 'code', 'x');
  const names = declared.length
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...declared.map((p) => p.name)) },
        { weight: 1, arbitrary: undeclared },
      )
    : undeclared;
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...strings).map(pct) },
    {
      weight: 3,
      arbitrary: junkScalar.map((v) => pct(typeof v === 'string' ? v.slice(0, LONG) : JSON.stringify(v))),
    },
    { weight: 1, arbitrary: fc.constantFrom('%00', '%ZZ', '%', 'a%00', '', '%F0%28%8C%28') },
  );
  const valueFor = (name: string) => {
    const hinted = (QUERY_HINTS[name] ?? []).map(pct);
    return hinted.length ? fc.oneof(value, fc.constantFrom(...hinted), fc.constantFrom(...hinted)) : value;
  };
  const pair = names
    .chain((name) =>
      fc.tuple(
        fc.constant(name),
        valueFor(name),
        valueFor(name),
        fc.oneof(
          { weight: 8, arbitrary: fc.constant('plain') },
          { weight: 2, arbitrary: fc.constant('repeat') },
          { weight: 1, arbitrary: fc.constantFrom('array', 'object', 'bare') },
        ),
      ),
    )
    .map(([name, v, w, style]) => {
      if (style === 'repeat') return `${name}=${v}&${name}=${w}`;
      if (style === 'array') return `${name}[]=${v}`;
      if (style === 'object') return `${name}[a]=${v}`;
      return style === 'bare' ? name : `${name}=${v}`;
    });
  return fc
    .array(pair, { maxLength: 6 })
    .map((pairs) => (pairs.length ? `?${pairs.join('&')}`.slice(0, 3 * LONG) : ''));
}

const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c < 0x7f || c > 0x9f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

/** Cookies, session tokens, Accept and Origin: real ones, garbage, and real ones garbled. */
export function headersOf(seeded: Seeded): fc.Arbitrary<Record<string, string>> {
  const garbled = (values: string[]) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...values) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...values), headerText).map(([v, g]) => v + g) },
      { weight: 2, arbitrary: headerText },
      { weight: 1, arbitrary: fc.integer({ min: 500, max: LONG }).map((n) => 'z'.repeat(n)) },
    );
  const cookie = fc.oneof(
    garbled(seeded.cookies),
    fc.constantFrom('ory_kratos_session=', 'ory_kratos_session', '=;=;', 'a=%ZZ', 'csrf_token=%00'),
  );
  return fc
    .record(
      {
        cookie,
        'x-session-token': garbled(seeded.tokens),
        accept: fc.oneof(
          fc.constantFrom('application/json', 'text/html', '*/*', 'text/html, application/json;q=0.9'),
          headerText,
        ),
        origin: fc.oneof(
          fc.constantFrom('http://127.0.0.1:4455', 'https://evil.example', 'null'),
          headerText,
        ),
        authorization: fc.oneof(garbled(seeded.tokens.map((t) => `Bearer ${t}`)), headerText),
        'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerText),
      },
      { requiredKeys: [] },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)));
}
