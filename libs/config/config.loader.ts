import { oidcConfigProblems } from './oidc-config.js';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { applyDefaults } from './config-defaults.js';
import { buildConfigSchema } from './config.schema.js';
import { createConfigValidator } from './config.validator.js';
import { applyEnvOverrides } from './env-overrides.js';
import { packageRoot } from './package-root.js';
import { isPlainObject } from './schema-walk.js';
import { unsupportedKeys } from './supported-keys.js';
import { trustedProxyProblems } from './trusted-proxies.js';

export interface LoadOptions {
  configFiles: string[];
  env: Record<string, string | undefined>;
  dev: boolean;
  cwd: string;
  /** False for processes that never set a cookie (`courier watch`): no cookie secret required. */
  needsCookieSecret?: boolean;
}

export interface LoadedConfig {
  values: Record<string, unknown>;
  warnings: string[];
  /** Secret values that must never appear in a log line. */
  secrets: string[];
}

/** The start cannot go on: one line per problem, each naming the key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((line) => `  ${line}`).join('\n')}`);
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`config file ${path}: cannot be read (${(error as NodeJS.ErrnoException).code})`]);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError([
      `config file ${path}: is not valid YAML/JSON (${(error as Error).message.split('\n')[0]})`,
    ]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed)) throw new ConfigError([`config file ${path}: must hold a mapping of keys`]);
  return parsed;
}

function mergeDeep(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    target[key] = isPlainObject(value) && isPlainObject(target[key]) ? mergeDeep(target[key], value) : value;
  }
  return target;
}

/** The embedded default: everything needed to start with no configuration at all. */
function applyEmbeddedDefaults(values: Record<string, unknown>, cwd: string): void {
  values['dsn'] ??= `sqlite://${join(cwd, 'data', 'tessera.sqlite')}?_fk=true`;
  const identity = (values['identity'] ??= {}) as Record<string, unknown>;
  identity['schemas'] ??= [
    {
      id: 'default',
      url: pathToFileURL(join(packageRoot(), 'identity-schemas', 'email-password.schema.json')).href,
    },
  ];
  const selfservice = (values['selfservice'] ??= {}) as Record<string, unknown>;
  selfservice['default_browser_return_url'] ??= 'http://127.0.0.1:4455/';
  // Signing up signs you in unless a config says what happens after registration.
  const flows = (selfservice['flows'] ??= {}) as Record<string, Record<string, unknown>>;
  const registration = (flows['registration'] ??= {});
  registration['after'] ??= {
    password: { hooks: [{ hook: 'session' }] },
    passkey: { hooks: [{ hook: 'session' }] },
    oidc: { hooks: [{ hook: 'session' }] },
  };
}

/** Public on purpose: data sealed with it is only as secret as a --dev server's database. */
const DEV_CIPHER_SECRET = 'tessera-dev-cipher-not-a-secret!';

/** Whether an enabled method stores secrets encrypted with `secrets.cipher`. */
function sealsSecrets(values: Record<string, unknown>): boolean {
  const methods = (values['selfservice'] as { methods?: Record<string, { enabled?: boolean }> })?.methods;
  return ['totp', 'lookup_secret', 'oidc'].some((method) => methods?.[method]?.enabled === true);
}

function semanticProblems(values: Record<string, unknown>, dev: boolean, needsCookieSecret = true): string[] {
  const problems: string[] = [];
  const secrets = (values['secrets'] ?? {}) as Record<string, string[] | undefined>;
  if (needsCookieSecret && !dev && !secrets['cookie']?.length && !secrets['default']?.length) {
    problems.push(
      'secrets.cookie: is required (at least one secret of 16+ characters); only --dev runs without it',
    );
  }
  if (!dev && sealsSecrets(values) && !secrets['cipher']?.length) {
    problems.push(
      'secrets.cipher: is required (32 characters) when totp, lookup_secret or oidc is enabled; only --dev runs without it',
    );
  }
  const identity = values['identity'] as { default_schema_id: string; schemas: { id: string }[] };
  if (!identity.schemas.some((schema) => schema.id === identity.default_schema_id)) {
    problems.push(
      `identity.default_schema_id: "${identity.default_schema_id}" is not an id in identity.schemas`,
    );
  }
  const serve = values['serve'] as { public?: { trusted_proxies?: unknown } } | undefined;
  problems.push(...trustedProxyProblems(serve?.public?.trusted_proxies));
  const ids = identity.schemas.map((schema) => schema.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) problems.push(`identity.schemas: id "${duplicate}" is listed twice`);
  const keyIds = ((serve as { admin?: { api_keys?: { id: string }[] } })?.admin?.api_keys ?? []).map(
    (key) => key.id,
  );
  const twice = keyIds.find((id, index) => keyIds.indexOf(id) !== index);
  if (twice) problems.push(`serve.admin.api_keys: id "${twice}" is listed twice`);
  problems.push(...oidcConfigProblems(values));
  return problems;
}

function collectSecrets(values: Record<string, unknown>): string[] {
  const secrets = Object.values((values['secrets'] ?? {}) as Record<string, string[]>).flat();
  for (const uri of [
    values['dsn'],
    (values['courier'] as { smtp?: { connection_uri?: string } })?.smtp?.connection_uri,
  ]) {
    if (typeof uri !== 'string') continue;
    try {
      const password = decodeURIComponent(new URL(uri).password);
      if (password) secrets.push(password);
    } catch {
      // not a URL, nothing embedded to mask
    }
  }
  return secrets.filter((secret) => typeof secret === 'string' && secret.length >= 4);
}

function legacyOneStep(values: Record<string, unknown>): boolean {
  const flows = (values['selfservice'] as { flows?: { registration?: Record<string, unknown> } } | undefined)
    ?.flows;
  return flows?.registration?.['enable_legacy_one_step'] === true;
}

/** Files, then environment, then defaults, then validation: what `tessera serve` runs on. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  // Built and compiled per call and then dropped, so a running server does not keep them.
  const schema = buildConfigSchema();
  const values: Record<string, unknown> = {};
  for (const file of options.configFiles) mergeDeep(values, readConfigFile(resolvePath(options.cwd, file)));
  try {
    applyEnvOverrides(schema, values, options.env);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const warnings = unsupportedKeys(values).map(
    (key) => `config key "${key}" is not supported by Tessera yet and is ignored`,
  );
  if (legacyOneStep(values))
    warnings.push(
      'selfservice.flows.registration.enable_legacy_one_step is deprecated: use selfservice.flows.registration.style (its value sets the style for now)',
    );
  applyEmbeddedDefaults(values, options.cwd);
  applyDefaults(schema, schema, values);
  const problems = createConfigValidator(schema)(values);
  if (problems.length === 0)
    problems.push(...semanticProblems(values, options.dev, options.needsCookieSecret));
  if (problems.length > 0) throw new ConfigError(problems);
  if (options.dev) {
    const secrets = (values['secrets'] ??= {}) as Record<string, string[] | undefined>;
    if (!secrets['cookie']?.length && !secrets['default']?.length) {
      secrets['cookie'] = [randomBytes(32).toString('base64url')];
      warnings.push(
        'secrets.cookie is not set: --dev uses a random one, so cookies do not survive a restart',
      );
    }
    if (!secrets['cipher']?.length) {
      secrets['cipher'] = [DEV_CIPHER_SECRET];
      if (sealsSecrets(values))
        warnings.push(
          'secrets.cipher is not set: --dev encrypts TOTP seeds and backup codes with a fixed, public development key',
        );
    }
  }
  values['dev'] = options.dev;
  return { values, warnings, secrets: collectSecrets(values) };
}
