import { ApiError } from '../../errors/index.js';
import type { Request } from 'express';
import type { ParsedIdentitySchema } from '../../schema/index.js';

/**
 * How a form field is read when the form sends it more than once, as Kratos' form decoder
 * (ory/x decoderx) reads it against the method's JSON schema: a field typed as an array keeps
 * every value; a boolean takes the last one (a checkbox sends a hidden `false` before its
 * `true`); any other field takes the first. One exception, stricter than Kratos: the anti-CSRF
 * token sent twice with two different values stays the list, which no check accepts.
 */
export type FormFieldKind = 'array' | 'boolean' | 'single';

/** The kind of a dotted field name, e.g. `traits.tags`; undefined reads as `single`. */
export type FormFieldKinds = (name: string) => FormFieldKind | undefined;

// The boolean fields of the contract's update*FlowWith*Method bodies; every other is a string.
const BOOLEAN_FIELDS: ReadonlySet<string> = new Set([
  'lookup_secret_confirm',
  'lookup_secret_disable',
  'lookup_secret_regenerate',
  'lookup_secret_reveal',
  'totp_unlink',
]);

// Object fields a form sends as JSON text (decoderx sets them raw).
const JSON_FIELDS: ReadonlySet<string> = new Set(['transient_payload']);

// Go's strconv.ParseBool, which decoderx uses.
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const kindsBySchema = new WeakMap<ParsedIdentitySchema, FormFieldKinds>();

/**
 * The kinds of the identity schema's traits, as `traits.<path>`, for flows that take traits;
 * worked out once per parsed schema.
 */
export function traitFieldKinds(schema: ParsedIdentitySchema): FormFieldKinds {
  let known = kindsBySchema.get(schema);
  if (!known) {
    known = kindsOf(schema);
    kindsBySchema.set(schema, known);
  }
  return known;
}

function kindsOf(schema: ParsedIdentitySchema): FormFieldKinds {
  const kinds = new Map<string, FormFieldKind>();
  for (const field of schema.fields) {
    const type = field.schema['type'];
    const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type : [];
    const kind: FormFieldKind = types.includes('array')
      ? 'array'
      : types.length === 1 && types[0] === 'boolean'
        ? 'boolean'
        : 'single';
    kinds.set(`traits.${field.path}`, kind);
  }
  return (name) => kinds.get(name);
}

function kindOf(name: string, kinds: FormFieldKinds | undefined): FormFieldKind {
  if (BOOLEAN_FIELDS.has(name)) return 'boolean';
  return kinds?.(name) ?? 'single';
}

/** One form field's values (the parser gives a string, or an array when repeated) as its kind reads them. */
function formValue(name: string, raw: unknown, kind: FormFieldKind): unknown {
  if (typeof raw !== 'string' && !Array.isArray(raw)) return raw;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
  if (kind === 'array') return values;
  if (kind === 'boolean') {
    const last = values.at(-1) ?? '';
    return GO_TRUE.has(last) ? true : GO_FALSE.has(last) ? false : last;
  }
  const first = values[0] ?? '';
  if (name === 'csrf_token' && values.some((v) => v !== first)) return values;
  if (JSON_FIELDS.has(name) && first !== '') {
    try {
      return JSON.parse(first) as unknown;
    } catch {
      return first;
    }
  }
  return first;
}

/** A flat form (`name` → string, or strings when repeated) read field by field, as Kratos reads it. */
export function decodeFormFields(
  fields: Record<string, unknown>,
  kinds?: FormFieldKinds,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const kind = kindOf(name, kinds);
    const value = formValue(name, raw, kind);
    // An empty boolean reads as not sent (decoderx skips it), so a blank checkbox is no button.
    if (kind === 'boolean' && value === '') continue;
    out[name] = value;
  }
  return out;
}

/** `traits.name.first=Ada` and `{"traits": {"name": {"first": "Ada"}}}` as the same nested object. */
function nestDottedKeys(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const path = key.split('.');
    if (
      path.some(
        (segment) =>
          segment === '' || segment === '__proto__' || segment === 'constructor' || segment === 'prototype',
      )
    )
      continue;
    let cursor = out;
    for (const segment of path.slice(0, -1)) {
      if (!isObject(cursor[segment])) cursor[segment] = {};
      cursor = cursor[segment] as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    cursor[last] =
      isObject(value) && isObject(cursor[last]) ? { ...(cursor[last] as object), ...value } : value;
  }
  return out;
}

/**
 * The submitted body as one nested object, decoded once here for every flow: HTML forms send
 * `traits.name.first=Ada` and may repeat a field (Kratos' nodes put `method` both in a hidden
 * input and on the submit button), so form fields are read by their kind (`kinds` adds the
 * identity schema's traits). A JSON body is taken as parsed: it cannot repeat a key, and an
 * array sent for a single-valued field stays an array the method refuses, as in Kratos.
 */
export function submittedBody(req: Request, kinds?: FormFieldKinds): Record<string, unknown> {
  const body: unknown = req.body;
  if (!isObject(body)) return {};
  const form = req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
  return nestDottedKeys(form ? decodeFormFields(body, kinds) : body);
}

/** `transient_payload` travels with a submission; anything but a JSON object is refused. */
export function transientPayloadOf(body: Record<string, unknown>): Record<string, unknown> | null {
  const payload = body['transient_payload'];
  if (payload === undefined || payload === null) return null;
  if (!isObject(payload)) throw new ApiError(400, { reason: 'transient_payload must be a JSON object.' });
  return payload;
}
