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
  // A password change or a new sign-in address wants a recent sign-in, not one from an hour ago.
  [['selfservice', 'flows', 'settings', 'privileged_session_max_age'], { default: '15m' }],
];

const window = { type: 'string', pattern: '^([0-9]+(ns|us|ms|s|m|h))+$' };
const kratosCourier = (kratosSchema as unknown as SchemaNode).properties!['courier']!;

/**
 * Settings Kratos does not have: brute-force limits, the bound on concurrent hashing, admin API
 * keys, the shutdown grace period. A patch of a parent comes before those of its children.
 */
const TESSERA_EXTENSIONS: Patch[] = [
  [
    ['serve'],
    {
      properties: {
        ...(kratosSchema as unknown as SchemaNode).properties!['serve']!.properties,
        shutdown: {
          type: 'object',
          additionalProperties: false,
          properties: {
            // In-flight requests and the courier's current job get this long after SIGTERM.
            grace_period: { ...window, default: '30s' },
          },
        },
      },
    },
  ],
  [
    ['security'],
    {
      properties: {
        ...((kratosSchema as unknown as SchemaNode).properties!['security']!.properties ?? {}),
        brute_force: {
          type: 'object',
          additionalProperties: false,
          properties: {
            enabled: { type: 'boolean', default: true },
            per_identifier: {
              type: 'object',
              additionalProperties: false,
              properties: {
                limit: { type: 'integer', minimum: 1, default: 10 },
                window: { ...window, default: '15m' },
              },
            },
            // NIST SP 800-63B: at most 100 consecutive failures per account.
            per_identifier_total: {
              type: 'object',
              additionalProperties: false,
              properties: {
                limit: { type: 'integer', minimum: 1, maximum: 100, default: 100 },
                window: { ...window, default: '24h' },
              },
            },
            per_ip: {
              type: 'object',
              additionalProperties: false,
              properties: {
                limit: { type: 'integer', minimum: 1, default: 100 },
                window: { ...window, default: '15m' },
              },
            },
          },
        },
      },
    },
  ],
  [
    ['clients', 'web_hook'],
    {
      properties: {
        ...((
          (kratosSchema as unknown as SchemaNode).properties!['clients']!.properties![
            'web_hook'
          ] as SchemaNode
        ).properties ?? {}),
        // Kratos' web hook client: 30 s per attempt, then 1 s and 2 s before the two retries.
        timeout: { ...window, default: '30s' },
        retry_wait: { ...window, default: '1s' },
      },
    },
  ],
  [
    ['hashers'],
    {
      properties: {
        ...((kratosSchema as unknown as SchemaNode).properties!['hashers']!.properties ?? {}),
        max_concurrent: { type: 'integer', minimum: 1 },
        max_queue: { type: 'integer', minimum: 0 },
      },
    },
  ],
  [
    ['serve', 'public'],
    {
      properties: {
        ...((kratosSchema as unknown as SchemaNode).properties!['serve']!.properties!['public']!.properties ??
          {}),
        // Reverse proxies whose X-Forwarded-For names the client (Express' `trust proxy`).
        trusted_proxies: { type: 'array', items: { type: 'string' }, default: [] },
      },
    },
  ],
  [
    ['serve', 'admin'],
    {
      properties: {
        ...((kratosSchema as unknown as SchemaNode).properties!['serve']!.properties!['admin']!.properties ??
          {}),
        // Bearer keys for the admin API, stored as the SHA-256 of the key (`tessera admin-key new`).
        api_keys: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'hash'],
            properties: {
              id: { type: 'string', minLength: 1, maxLength: 64 },
              hash: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
            },
          },
          default: [],
        },
        // Serve the admin API on a non-loopback address without keys (behind a network policy).
        allow_unauthenticated: { type: 'boolean', default: false },
      },
    },
  ],
  [
    ['courier'],
    {
      properties: {
        ...kratosCourier.properties,
        worker: {
          ...kratosCourier.properties!['worker'],
          additionalProperties: false,
          properties: {
            ...kratosCourier.properties!['worker']!.properties,
            // A failed attempt waits this long, doubled per attempt, before the next one.
            retry_backoff: { ...window, default: '1s' },
            // A message `processing` for longer than this belongs to a dead worker and is sent again.
            claim_timeout: { ...window, default: '1m' },
          },
        },
        // Redis for the courier's BullMQ queue, when it is not the one of `redis.url`.
        queue: {
          type: 'object',
          additionalProperties: false,
          properties: {
            redis_url: { type: 'string', pattern: '^rediss?://' },
            prefix: { type: 'string', minLength: 1, default: 'tessera' },
          },
        },
      },
    },
  ],
  [
    ['session', 'whoami'],
    {
      properties: {
        ...((kratosSchema as unknown as SchemaNode).properties!['session']!.properties!['whoami']!
          .properties ?? {}),
        cache_ttl: { ...window, default: '1s' },
      },
    },
  ],
];

const samplingRatio: SchemaNode = { type: 'number', minimum: 0, maximum: 1 };

/**
 * Kratos' `tracing` keys. Tessera exports over OTLP/HTTP (`provider: otel`); the other providers'
 * keys are accepted so that Kratos configurations start, and a warning says they do not trace.
 */
const TRACING: SchemaNode = {
  type: 'object',
  properties: {
    provider: { type: 'string', enum: ['jaeger', 'zipkin', 'datadog', 'elastic-apm', 'instana', 'otel', ''] },
    service_name: { type: 'string' },
    deployment_environment: { type: 'string' },
    providers: {
      type: 'object',
      properties: {
        otlp: {
          type: 'object',
          additionalProperties: false,
          properties: {
            server_url: { type: 'string' },
            insecure: { type: 'boolean' },
            authorization_header: { type: 'string' },
            sampling: {
              type: 'object',
              additionalProperties: false,
              properties: { sampling_ratio: samplingRatio },
            },
          },
        },
        jaeger: { type: 'object' },
        zipkin: { type: 'object' },
        datadog: { type: 'object' },
        elastic_apm: { type: 'object' },
        instana: { type: 'object' },
      },
    },
  },
};

/** Top-level keys of Tessera's own; `REDIS_URL` sets `redis.url`. */
const TESSERA_TOP_LEVEL: Record<string, SchemaNode> = {
  redis: {
    type: 'object',
    additionalProperties: false,
    properties: { url: { type: 'string', pattern: '^rediss?://' } },
  },
};

/** A fresh copy each call: the schema and its compiled validator are needed once, at start. */
export function buildConfigSchema(): SchemaNode {
  const schema = structuredClone(kratosSchema) as unknown as SchemaNode;
  for (const [path, change] of [...TESSERA_EXTENSIONS, ...TESSERA_DEFAULTS]) {
    let node: SchemaNode | undefined = schema;
    for (const segment of path) node = node?.properties?.[segment];
    if (!node) throw new Error(`config schema has no ${path.join('.')}`);
    // A copy: a later patch (serve.admin after serve) changes what an earlier one put in place.
    Object.assign(node, structuredClone(change));
  }
  Object.assign(schema.properties!, TESSERA_TOP_LEVEL);
  // Kratos' tracing sub-schema lives outside its config schema (Ory's otelx); these are its keys.
  schema.properties!['tracing'] = TRACING;
  return schema;
}
