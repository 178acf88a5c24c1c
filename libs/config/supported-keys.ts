import { isPlainObject } from './schema-walk.js';

/**
 * The parts of Kratos' configuration tree that Tessera acts on. A key outside these is accepted
 * (Kratos configs must start as they are) but named in one warning, so nobody believes a setting
 * works that does not. Each feature adds its keys here when it lands.
 */
export const SUPPORTED_KEYS: readonly string[] = [
  'version',
  'dsn',
  'log.level',
  'serve.public.base_url',
  'serve.public.host',
  'serve.public.port',
  'serve.public.request_log',
  'serve.public.trusted_proxies',
  'serve.admin.base_url',
  'serve.admin.host',
  'serve.admin.port',
  'serve.admin.request_log',
  'secrets.default',
  'secrets.cookie',
  'secrets.cipher',
  'secrets.pagination',
  'hashers.algorithm',
  'hashers.argon2.memory',
  'hashers.argon2.iterations',
  'hashers.argon2.parallelism',
  'hashers.argon2.salt_length',
  'hashers.argon2.key_length',
  'hashers.bcrypt.cost',
  'identity.default_schema_id',
  'identity.schemas',
  'hashers.max_concurrent',
  'hashers.max_queue',
  'selfservice.default_browser_return_url',
  'selfservice.allowed_return_urls',
  'selfservice.methods.password',
  'selfservice.methods.webauthn',
  'selfservice.methods.passkey',
  'selfservice.methods.totp',
  'selfservice.methods.lookup_secret',
  'selfservice.methods.oidc',
  'selfservice.flows.login.ui_url',
  'selfservice.flows.login.lifespan',
  'selfservice.flows.login.after.hooks',
  'selfservice.flows.login.after.default_browser_return_url',
  'selfservice.flows.login.after.password',
  'selfservice.flows.login.after.webauthn',
  'selfservice.flows.login.after.passkey',
  'selfservice.flows.login.after.oidc',
  'selfservice.flows.registration.enabled',
  'selfservice.flows.registration.ui_url',
  'selfservice.flows.registration.lifespan',
  'selfservice.flows.registration.after.hooks',
  'selfservice.flows.registration.after.default_browser_return_url',
  'selfservice.flows.registration.after.password',
  'selfservice.flows.registration.after.passkey',
  'selfservice.flows.registration.after.oidc',
  'selfservice.flows.settings.ui_url',
  'selfservice.flows.settings.lifespan',
  'selfservice.flows.settings.privileged_session_max_age',
  'selfservice.flows.settings.required_aal',
  'selfservice.flows.settings.after.hooks',
  'selfservice.flows.settings.after.default_browser_return_url',
  'selfservice.flows.settings.after.profile',
  'selfservice.flows.settings.after.password',
  'selfservice.methods.profile',
  'selfservice.flows.logout',
  'selfservice.flows.error',
  'serve.public.cors',
  'cookies',
  'session.lifespan',
  'session.earliest_possible_extend',
  'session.cookie',
  'session.whoami.cache_ttl',
  'session.whoami.required_aal',
  'security.brute_force',
  'redis.url',
  'selfservice.flows.recovery.enabled',
  'selfservice.flows.recovery.ui_url',
  'selfservice.flows.recovery.lifespan',
  'selfservice.flows.recovery.use',
  'selfservice.flows.recovery.notify_unknown_recipients',
  'selfservice.flows.recovery.after.hooks',
  'selfservice.flows.verification.enabled',
  'selfservice.flows.verification.ui_url',
  'selfservice.flows.verification.lifespan',
  'selfservice.flows.verification.use',
  'selfservice.flows.verification.notify_unknown_recipients',
  'selfservice.flows.verification.after.default_browser_return_url',
  'selfservice.methods.code',
  'selfservice.methods.link',
  'selfservice.flows.login.after.code',
  'selfservice.flows.registration.after.code',
  'courier.smtp.connection_uri',
  'courier.smtp.from_address',
  'courier.smtp.from_name',
  'courier.smtp.headers',
  'courier.smtp.local_name',
  'courier.message_retries',
  'courier.worker.pull_count',
  'courier.worker.pull_wait',
  'courier.worker.retry_backoff',
  'courier.worker.claim_timeout',
  'courier.template_override_path',
  'courier.templates',
  'courier.delivery_strategy',
  'courier.http.request_config',
  'courier.channels',
  'courier.queue.redis_url',
  'courier.queue.prefix',
];

/** The shallowest unsupported key paths present in a user's config, dotted. */
export function unsupportedKeys(config: Record<string, unknown>, supported = SUPPORTED_KEYS): string[] {
  const found: string[] = [];
  const walk = (value: Record<string, unknown>, prefix: string) => {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (supported.some((entry) => path === entry || path.startsWith(`${entry}.`))) continue;
      const isAncestor = supported.some((entry) => entry.startsWith(`${path}.`));
      if (isAncestor && isPlainObject(child)) walk(child, path);
      else found.push(path);
    }
  };
  walk(config, '');
  return found;
}
