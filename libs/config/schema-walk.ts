/** Minimal JSON Schema node shape, enough to walk Kratos' config schema. */
export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
  default?: unknown;
  $ref?: string;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  additionalProperties?: boolean | SchemaNode;
  definitions?: Record<string, SchemaNode>;
  [keyword: string]: unknown;
}

/** Follows local `#/definitions/x` references; external ones resolve to an open node. */
export function resolve(root: SchemaNode, node: SchemaNode): SchemaNode {
  let current = node;
  for (let hops = 0; current.$ref && hops < 16; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) return {};
    let target: unknown = root;
    for (const segment of ref.slice(2).split('/')) target = (target as Record<string, unknown>)?.[segment];
    current = (target as SchemaNode) ?? {};
  }
  return current;
}

/** The properties a node may have, merging alternatives of oneOf/anyOf/allOf. */
export function propertiesOf(root: SchemaNode, node: SchemaNode): Record<string, SchemaNode> {
  const resolved = resolve(root, node);
  const merged: Record<string, SchemaNode> = { ...(resolved.properties ?? {}) };
  for (const branch of [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.allOf ?? [])]) {
    for (const [key, child] of Object.entries(propertiesOf(root, branch))) merged[key] ??= child;
  }
  return merged;
}

export function typesOf(root: SchemaNode, node: SchemaNode): string[] {
  const resolved = resolve(root, node);
  if (resolved.type) return Array.isArray(resolved.type) ? resolved.type : [resolved.type];
  if (resolved.properties) return ['object'];
  const branches = [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])];
  return [...new Set(branches.flatMap((branch) => typesOf(root, branch)))];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
