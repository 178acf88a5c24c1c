import kratosSchema from './kratos-config.schema.json' with { type: 'json' };
import { type SchemaNode } from './schema-walk.js';

type Patch = [path: string[], change: Partial<SchemaNode>];

/**
 * Where Tessera's defaults differ from Kratos' on purpose: argon2id with OWASP's first-choice
 * parameters instead of bcrypt, and both listeners on loopback until told otherwise so that
 * the admin API is never exposed by accident.
 */
const TESSERA_DEFAULTS: Patch[] = [
  [['hashers', 'algorithm'], { default: 'argon2' }],
  [['hashers', 'argon2', 'memory'], { default: '19MB' }],
  [['hashers', 'argon2', 'iterations'], { default: 2 }],
  [['hashers', 'argon2', 'parallelism'], { default: 1 }],
  [['serve', 'public', 'host'], { default: '127.0.0.1' }],
  [['serve', 'admin', 'host'], { default: '127.0.0.1' }],
  [['log', 'format'], { default: 'json' }],
];

function buildSchema(): SchemaNode {
  const schema = structuredClone(kratosSchema) as unknown as SchemaNode;
  for (const [path, change] of TESSERA_DEFAULTS) {
    let node: SchemaNode | undefined = schema;
    for (const segment of path) node = node?.properties?.[segment];
    if (!node) throw new Error(`config schema has no ${path.join('.')}`);
    Object.assign(node, change);
  }
  // The tracing sub-schema lives outside this file in Kratos; Tessera does not trace yet.
  const tracing = schema.properties?.['tracing'];
  if (tracing) schema.properties!['tracing'] = { type: 'object' };
  return schema;
}

export const CONFIG_SCHEMA: SchemaNode = buildSchema();
