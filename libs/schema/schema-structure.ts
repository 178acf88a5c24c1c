import { type ValidateFunction } from 'ajv';
import {
  type AddressVia,
  type JsonObject,
  type SchemaNode,
  type TraitField,
} from './identity-schema.types.js';
import { IDENTITY_EXTENSION_SCHEMA, IDENTITY_META_SCHEMA } from './identity-meta.schema.js';
import { createIdentityAjv, describeAjvError } from './schema-ajv.js';
import { asNode, parseIdentitySchema, resolveRef, schemaTypes } from './schema-extension.js';

let metaValidator: ValidateFunction | undefined;

function validateMeta(raw: JsonObject): string[] {
  if (!metaValidator) {
    const ajv = createIdentityAjv();
    ajv.addSchema(IDENTITY_EXTENSION_SCHEMA);
    metaValidator = ajv.compile(IDENTITY_META_SCHEMA);
  }
  if (metaValidator(raw)) return [];
  return [...new Set((metaValidator.errors ?? []).filter((e) => e.keyword !== 'if').map(describeAjvError))];
}

/**
 * Problems that make a document unusable as an identity schema, one line each: the shape Kratos'
 * `ory://identity-meta` demands, plus extension combinations Kratos would only reject on every
 * later write.
 */
export function identitySchemaProblems(raw: unknown): string[] {
  const doc = asNode(raw);
  if (!doc) return ['the document must be a JSON object'];
  const traits = asNode(asNode(doc['properties'])?.['traits']);
  if (!traits) return ['"properties.traits" is missing; identity schemas keep their fields under it'];
  if (traits['type'] !== 'object') return ['"properties.traits.type" must be "object"'];
  if (Object.keys(asNode(traits['properties']) ?? {}).length === 0) {
    return ['"properties.traits.properties" must declare at least one property'];
  }
  const problems = validateMeta(doc);
  for (const field of parseIdentitySchema(doc).fields) {
    const { credentials, verification } = field.extension;
    if (credentials?.code?.identifier && !credentials.code.via) {
      problems.push(
        `traits.${field.path}: "credentials.code.via" ("email" or "sms") is required with "identifier"`,
      );
    }
    if (verification?.via === 'sms' && formatOf(doc, field) === undefined) {
      problems.push(
        `traits.${field.path}: verification via sms needs a "format" (use "tel", or "no-validate")`,
      );
    }
  }
  return problems;
}

function formatOf(root: JsonObject, field: TraitField): string | undefined {
  const node = valueNode(root, field.schema);
  return typeof node['format'] === 'string' ? node['format'] : undefined;
}

// For arrays the format belongs on the items, which is where each address value is checked.
function valueNode(root: JsonObject, node: SchemaNode): SchemaNode {
  const items = asNode(node['items']);
  if (!schemaTypes(node).includes('array') || !items) return node;
  return resolveRef(root, items) ?? node;
}

function impliedFormat(field: TraitField): string | undefined {
  const { credentials, verification, recovery } = field.extension;
  const vias: (AddressVia | undefined)[] = [
    verification?.via,
    recovery?.via,
    credentials?.code?.identifier ? credentials.code.via : undefined,
  ];
  if (vias.includes('email')) return 'email';
  return vias.includes('sms') ? 'tel' : undefined;
}

/**
 * A copy of the document for compiling the validator, where address-bearing leaves without a
 * `format` get the one their channel implies (Kratos checks email/phone syntax for them anyway).
 * The served document and the form fields keep the original.
 */
export function validationSchema(raw: JsonObject): JsonObject {
  const copy = structuredClone(raw);
  for (const field of parseIdentitySchema(copy).fields) {
    const format = impliedFormat(field);
    const node = valueNode(copy, field.schema);
    if (format && node['format'] === undefined) node['format'] = format;
  }
  return copy;
}
