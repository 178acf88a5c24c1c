import { isPlainObject, propertiesOf, resolve, type SchemaNode } from './schema-walk.js';

/**
 * Fills schema defaults into `target`. An object that the user left out is created only when
 * it then holds a default and satisfies its own `required` list, so optional blocks such as
 * `courier.smtp` (which requires `connection_uri`) are never conjured into invalid shapes.
 */
export function applyDefaults(root: SchemaNode, node: SchemaNode, target: Record<string, unknown>): void {
  for (const [key, child] of Object.entries(propertiesOf(root, node))) {
    const resolved = resolve(root, child);
    if (target[key] === undefined && resolved.default !== undefined) {
      target[key] = structuredClone(resolved.default);
    }
    if (!resolved.properties || resolved.oneOf || resolved.anyOf) continue;
    if (isPlainObject(target[key])) {
      applyDefaults(root, resolved, target[key]);
    } else if (target[key] === undefined) {
      const candidate: Record<string, unknown> = {};
      applyDefaults(root, resolved, candidate);
      const complete = (resolved.required ?? []).every((name) => candidate[name] !== undefined);
      if (Object.keys(candidate).length > 0 && complete) target[key] = candidate;
    }
  }
}
