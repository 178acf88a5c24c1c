import { type ParsedIdentitySchema, type SchemaNode, type TraitField } from './identity-schema.types.js';
import { asNode, schemaTypes } from './schema-extension.js';
import { traitValue } from './trait-extraction.js';

/** Message id of a label generated from a schema `title` (Kratos `InfoNodeLabelGenerated`). */
export const TRAIT_LABEL_TEXT_ID = 1070002;

// Kratos caps enum-derived options so a huge enum cannot bloat every flow.
const MAX_OPTIONS = 500;

export type TraitInputType =
  'text' | 'password' | 'number' | 'checkbox' | 'email' | 'tel' | 'datetime-local' | 'date' | 'url';

export interface TraitNodeLabel {
  id: number;
  text: string;
  type: 'info';
  context: { name: string; title: string };
}

/** `uiNodeInputAttributes` of a trait input; key order is Kratos' serialisation order. */
export interface TraitNodeAttributes {
  name: string;
  type: TraitInputType;
  value?: unknown;
  required?: true;
  autocomplete?: 'email' | 'tel' | 'url';
  pattern?: string;
  disabled: boolean;
  options?: { value: unknown }[];
  node_type: 'input';
}

export interface TraitNode {
  type: 'input';
  group: string;
  attributes: TraitNodeAttributes;
  messages: never[];
  meta: { label?: TraitNodeLabel };
}

/**
 * One `input` node per trait leaf, in schema order, named `traits.<path>`. `values` is a traits
 * object (nested, as submitted or stored); a value is copied into the node when present.
 */
export function traitNodes(
  schema: ParsedIdentitySchema,
  values?: Record<string, unknown>,
  group = 'default',
): TraitNode[] {
  const nodes: TraitNode[] = [];
  for (const field of schema.fields) {
    const type = baseInputType(field);
    if (type === undefined) continue;
    nodes.push(toNode(field, type, values, group));
  }
  return nodes;
}

function toNode(
  field: TraitField,
  base: TraitInputType,
  values: Record<string, unknown> | undefined,
  group: string,
): TraitNode {
  const name = `traits.${field.path}`;
  const { type, autocomplete } = withFormat(base, field.schema['format']);
  const value = values === undefined ? undefined : traitValue(values, field.segments);
  const pattern = field.schema['pattern'];
  const attributes: TraitNodeAttributes = {
    name,
    type,
    ...(value !== undefined && value !== null ? { value } : {}),
    ...(field.required ? { required: true as const } : {}),
    ...(autocomplete ? { autocomplete } : {}),
    ...(typeof pattern === 'string' ? { pattern } : {}),
    disabled: field.schema['disableFormField'] === true,
    ...optionsOf(field.schema),
    node_type: 'input',
  };
  const title = field.schema['title'];
  const meta =
    typeof title === 'string' && title !== ''
      ? { label: { id: TRAIT_LABEL_TEXT_ID, text: title, type: 'info' as const, context: { name, title } } }
      : {};
  return { type: 'input', group, attributes, messages: [], meta };
}

function optionsOf(schema: SchemaNode): { options?: { value: unknown }[] } {
  const values = schema['enum'];
  if (!Array.isArray(values) || values.length === 0) return {};
  return { options: values.slice(0, MAX_OPTIONS).map((value: unknown) => ({ value })) };
}

/**
 * The input type before `format` is applied, or undefined for leaves Kratos renders no input for
 * (objects, arrays of objects, untyped leaves without a default).
 */
function baseInputType(field: TraitField): TraitInputType | undefined {
  const schema = field.schema;
  const kind = valueKind(schema);
  if (kind === 'json' || (kind === 'none' && schema['default'] === undefined)) return undefined;
  if (field.segments[field.segments.length - 1] === 'password') return 'password';
  if (kind === 'number') return 'number';
  return kind === 'boolean' ? 'checkbox' : 'text';
}

type ValueKind = 'string' | 'number' | 'boolean' | 'list' | 'json' | 'none';

// Mirrors the type prototype jsonschemax derives for a path: const first, then a single type.
function valueKind(schema: SchemaNode): ValueKind {
  if ('const' in schema) {
    const c = schema['const'];
    if (typeof c === 'number') return 'number';
    if (typeof c === 'boolean') return 'boolean';
    return typeof c === 'string' ? 'string' : 'json';
  }
  const types = schemaTypes(schema);
  if (types.length > 2) return 'json';
  if (types.length !== 1) return 'none';
  switch (types[0]) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return itemKind(schema);
    case 'object':
      return 'json';
    default:
      return 'none';
  }
}

function itemKind(schema: SchemaNode): ValueKind {
  const items = schema['items'];
  const list = Array.isArray(items) ? items : items === undefined ? [] : [items];
  const types = new Set(list.flatMap((item) => schemaTypes(asNode(item) ?? {})));
  if (types.size !== 1) return 'list';
  return ['string', 'number', 'integer', 'boolean'].some((t) => types.has(t)) ? 'list' : 'json';
}

function withFormat(
  type: TraitInputType,
  format: unknown,
): Pick<TraitNodeAttributes, 'type' | 'autocomplete'> {
  switch (format) {
    case 'date-time':
      return { type: 'datetime-local' };
    case 'email':
      return { type: 'email', autocomplete: 'email' };
    case 'tel':
      return { type: 'tel', autocomplete: 'tel' };
    case 'date':
      return { type: 'date' };
    case 'uri':
      return { type: 'url', autocomplete: 'url' };
    case 'regex':
      return { type: 'text' };
    default:
      return { type };
  }
}
