import {
  type JsonObject,
  type KratosExtension,
  type ParsedIdentitySchema,
  type SchemaNode,
  type TraitField,
} from './identity-schema.types.js';
import { pointerSegments } from './schema-ajv.js';

export const KRATOS_EXTENSION_KEY = 'ory.sh/kratos';

// Guards against `$ref` cycles; real identity schemas are a few levels deep.
const MAX_DEPTH = 32;

/** Walks `properties.traits` of an identity schema and lists its leaves in document order. */
export function parseIdentitySchema(raw: JsonObject): ParsedIdentitySchema {
  const traits = asNode(asNode(raw['properties'])?.['traits']);
  const fields: TraitField[] = [];
  if (traits) walkObject(raw, traits, [], new Set(), fields, 0);
  return { fields };
}

export function asNode(value: unknown): SchemaNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SchemaNode)
    : undefined;
}

/** Follows local `$ref`s (`#/definitions/x`); remote references resolve to undefined. */
export function resolveRef(root: JsonObject, node: SchemaNode, depth = 0): SchemaNode | undefined {
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#') || depth > MAX_DEPTH) return undefined;
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  let cursor: unknown = root;
  for (const segment of pointerSegments(pointer)) cursor = asNode(cursor)?.[segment];
  const target = asNode(cursor);
  return target ? resolveRef(root, target, depth + 1) : undefined;
}

export function schemaTypes(node: SchemaNode): string[] {
  const type = node['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

function isObjectSchema(node: SchemaNode): boolean {
  const types = schemaTypes(node);
  return types.length === 1
    ? types[0] === 'object'
    : types.length === 0 && asNode(node['properties']) !== undefined;
}

function walkObject(
  root: JsonObject,
  node: SchemaNode,
  segments: string[],
  inheritedRequired: ReadonlySet<string>,
  out: TraitField[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  const own = Array.isArray(node['required']) ? node['required'].filter((r) => typeof r === 'string') : [];
  const required = new Set([...inheritedRequired, ...own]);
  for (const [key, child] of Object.entries(asNode(node['properties']) ?? {})) {
    const resolved = asNode(child) && resolveRef(root, child as SchemaNode);
    if (!resolved) continue;
    const path = [...segments, key];
    if (isObjectSchema(resolved)) {
      walkObject(root, resolved, path, new Set(), out, depth + 1);
    } else if (!out.some((field) => field.path === path.join('.'))) {
      out.push({
        path: path.join('.'),
        segments: path,
        schema: resolved,
        required: required.has(key),
        extension: leafExtension(root, resolved),
      });
    }
  }
  // Properties may also be declared through allOf branches of the same object.
  for (const branch of Array.isArray(node['allOf']) ? node['allOf'] : []) {
    const resolved = asNode(branch) && resolveRef(root, branch as SchemaNode);
    if (resolved) walkObject(root, resolved, segments, required, out, depth + 1);
  }
}

function leafExtension(root: JsonObject, node: SchemaNode): KratosExtension {
  const items = asNode(node['items']);
  const fromItems = items ? readExtension(resolveRef(root, items)) : {};
  return mergeExtensions(fromItems, readExtension(node));
}

/** Picks the known keys of `ory.sh/kratos`, ignoring ill-typed values rather than trusting them. */
export function readExtension(node: SchemaNode | undefined): KratosExtension {
  const ext = asNode(node?.[KRATOS_EXTENSION_KEY]);
  if (!ext) return {};
  const credentials = asNode(ext['credentials']);
  const out: KratosExtension = {};
  if (credentials) {
    out.credentials = {};
    const flag = (kind: string, key: string) => asNode(credentials[kind])?.[key] === true;
    if (flag('password', 'identifier')) out.credentials.password = { identifier: true };
    if (flag('webauthn', 'identifier')) out.credentials.webauthn = { identifier: true };
    if (flag('passkey', 'display_name')) out.credentials.passkey = { display_name: true };
    if (flag('totp', 'account_name')) out.credentials.totp = { account_name: true };
    const code = asNode(credentials['code']);
    if (code) out.credentials.code = { identifier: code['identifier'] === true, ...viaOf(code) };
  }
  const verification = asNode(ext['verification']);
  if (verification) out.verification = viaOf(verification);
  const recovery = asNode(ext['recovery']);
  if (recovery) out.recovery = viaOf(recovery);
  if (asNode(ext['organizations'])?.['matcher'] === 'email_domain')
    out.organizations = { matcher: 'email_domain' };
  return out;
}

function viaOf(node: SchemaNode): { via?: 'email' | 'sms' } {
  const via = node['via'];
  return via === 'email' || via === 'sms' ? { via } : {};
}

function mergeExtensions(a: KratosExtension, b: KratosExtension): KratosExtension {
  const credentials = a.credentials || b.credentials ? { ...a.credentials, ...b.credentials } : undefined;
  return { ...a, ...b, ...(credentials ? { credentials } : {}) };
}
