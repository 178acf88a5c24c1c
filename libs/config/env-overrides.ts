import { isPlainObject, propertiesOf, typesOf, type SchemaNode } from './schema-walk.js';

/** Keys that are command-line concerns in Kratos' tree and must not be set from the environment. */
const NOT_FROM_ENV = new Set([
  'dev',
  'help',
  'config',
  'watch-courier',
  'sqa-opt-out',
  'expose-metrics-port',
]);

interface EnvKey {
  path: string[];
  node: SchemaNode;
}

/** Every key path of the schema, indexed by its environment variable name (`SERVE_PUBLIC_PORT`). */
export function envKeyIndex(root: SchemaNode): Map<string, EnvKey> {
  const index = new Map<string, EnvKey>();
  const walk = (node: SchemaNode, path: string[], depth: number) => {
    if (depth > 10) return;
    for (const [key, child] of Object.entries(propertiesOf(root, node))) {
      if (path.length === 0 && NOT_FROM_ENV.has(key)) continue;
      const childPath = [...path, key];
      const name = childPath.join('_').toUpperCase().replace(/-/g, '_');
      if (!index.has(name)) index.set(name, { path: childPath, node: child });
      walk(child, childPath, depth + 1);
    }
  };
  walk(root, [], 0);
  return index;
}

/** Casts an environment string to the schema's type: JSON or comma lists for arrays. */
export function castEnvValue(root: SchemaNode, node: SchemaNode, raw: string): unknown {
  const types = typesOf(root, node);
  const trimmed = raw.trim();
  if (types.includes('array')) {
    if (trimmed.startsWith('[')) return JSON.parse(trimmed);
    return trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim());
  }
  if (types.includes('object') && trimmed.startsWith('{')) return JSON.parse(trimmed);
  if (types.includes('integer') || types.includes('number')) {
    const value = Number(trimmed);
    return trimmed !== '' && Number.isFinite(value) ? value : raw;
  }
  if (types.includes('boolean')) {
    if (trimmed === 'true' || trimmed === '1') return true;
    if (trimmed === 'false' || trimmed === '0') return false;
  }
  return raw;
}

/** Writes every recognised, non-empty environment variable over the file's values; returns the names used. */
export function applyEnvOverrides(
  root: SchemaNode,
  target: Record<string, unknown>,
  env: Record<string, string | undefined>,
): string[] {
  const index = envKeyIndex(root);
  const applied: string[] = [];
  const names = Object.keys(env)
    .filter((name) => index.has(name) && env[name] !== undefined && env[name] !== '')
    .sort((a, b) => index.get(a)!.path.length - index.get(b)!.path.length);
  for (const name of names) {
    const { path, node } = index.get(name)!;
    let value: unknown;
    try {
      value = castEnvValue(root, node, env[name]!);
    } catch {
      throw new Error(`${name}: could not parse the value as JSON`);
    }
    let cursor = target;
    for (const segment of path.slice(0, -1)) {
      if (!isPlainObject(cursor[segment])) cursor[segment] = {};
      cursor = cursor[segment] as Record<string, unknown>;
    }
    cursor[path[path.length - 1]!] = value;
    applied.push(name);
  }
  return applied;
}
