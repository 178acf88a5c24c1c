import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.loader.js';
import { ConfigService } from './config.service.js';

const quickstart = join(
  import.meta.dirname,
  '../../test/fixtures/kratos/quickstart-email-password/kratos.yml',
);

function writeConfig(text: string, name = 'tessera.yml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts with no configuration at all in dev mode (the embedded default)', () => {
    const loaded = loadConfig({ configFiles: [], env: {}, dev: true, cwd: '/srv/app' });
    const config = new ConfigService(loaded);
    expect(config.dsn).toBe('sqlite:///srv/app/data/tessera.sqlite?_fk=true');
    expect(config.listen('public')).toMatchObject({ host: '127.0.0.1', port: 4433 });
    expect(config.listen('admin').baseUrl.href).toBe('http://127.0.0.1:4434/');
    expect(config.identitySchemas.defaultSchemaId).toBe('default');
    expect(config.identitySchemas.schemas[0]!.url).toMatch(/^file:\/\/.*email-password\.schema\.json$/);
    expect(config.hashers).toEqual({
      algorithm: 'argon2',
      argon2: { memoryKiB: 19456, iterations: 2, parallelism: 1, saltLength: 16, keyLength: 32 },
      bcrypt: { cost: 12 },
    });
    expect(loaded.warnings).toEqual([expect.stringContaining('secrets.cookie is not set')]);
  });

  it('refuses to start without secrets.cookie unless --dev', () => {
    const problems = problemsOf(() => loadConfig({ configFiles: [], env: {}, dev: false, cwd: '/' }));
    expect(problems).toEqual([expect.stringMatching(/^secrets\.cookie: is required/)]);
  });

  it('refuses a trusted proxy that is no address or range, and keeps the valid ones', () => {
    const env = { SERVE_PUBLIC_TRUSTED_PROXIES: '["10.0.0.0/8","proxy.internal"]' };
    const problems = problemsOf(() => loadConfig({ configFiles: [], env, dev: true, cwd: '/' }));
    expect(problems).toEqual([expect.stringMatching(/^serve\.public\.trusted_proxies: "proxy\.internal"/)]);
    const loaded = loadConfig({
      configFiles: [],
      env: { SERVE_PUBLIC_TRUSTED_PROXIES: '["10.0.0.0/8","loopback"]' },
      dev: true,
      cwd: '/',
    });
    expect(new ConfigService(loaded).get('serve.public.trusted_proxies')).toEqual(['10.0.0.0/8', 'loopback']);
    expect(loaded.warnings.some((w) => w.includes('trusted_proxies'))).toBe(false);
  });

  it('refuses totp without secrets.cipher unless --dev, where a fixed dev key is used with a warning', () => {
    const env = { SECRETS_COOKIE: '["a-very-long-cookie-secret"]', SELFSERVICE_METHODS_TOTP_ENABLED: 'true' };
    const problems = problemsOf(() => loadConfig({ configFiles: [], env, dev: false, cwd: '/' }));
    expect(problems).toEqual([expect.stringMatching(/^secrets\.cipher: is required/)]);
    const dev = loadConfig({ configFiles: [], env, dev: true, cwd: '/' });
    expect(new ConfigService(dev).get<string[]>('secrets.cipher')).toHaveLength(1);
    expect(dev.warnings).toEqual([expect.stringContaining('secrets.cipher is not set')]);
    const configured = loadConfig({
      configFiles: [],
      env: { ...env, SECRETS_CIPHER: '["0123456789abcdef0123456789abcdef"]' },
      dev: false,
      cwd: '/',
    });
    expect(new ConfigService(configured).get('secrets.cipher')).toEqual(['0123456789abcdef0123456789abcdef']);
  });

  it('lets environment variables named after the key path override the file', () => {
    const file = writeConfig(
      'serve:\n  public:\n    port: 5000\nselfservice:\n  allowed_return_urls: [https://a.example]\n',
    );
    const config = new ConfigService(
      loadConfig({
        configFiles: [file],
        env: {
          SERVE_PUBLIC_PORT: '6000',
          SERVE_ADMIN_BASE_URL: 'https://admin.example/kratos',
          SELFSERVICE_ALLOWED_RETURN_URLS: 'https://b.example, https://c.example',
          SECRETS_COOKIE: '["a-very-long-cookie-secret"]',
          IDENTITY_SCHEMAS: '[{"id":"default","url":"file:///x.json"}]',
          PATH: '/usr/bin',
        },
        dev: false,
        cwd: '/',
      }),
    );
    expect(config.listen('public').port).toBe(6000);
    expect(config.listen('admin').baseUrl.href).toBe('https://admin.example/kratos/');
    expect(config.get('selfservice.allowed_return_urls')).toEqual(['https://b.example', 'https://c.example']);
    expect(config.get('secrets.cookie')).toEqual(['a-very-long-cookie-secret']);
    expect(config.identitySchemas.schemas).toEqual([
      { id: 'default', url: 'file:///x.json', selfserviceSelectable: false },
    ]);
  });

  it('names each invalid key and what was expected, one line each', () => {
    const file = writeConfig('serve:\n  public:\n    port: many\nhashers:\n  algorithm: md5\n');
    const problems = problemsOf(() => loadConfig({ configFiles: [file], env: {}, dev: true, cwd: '/' }));
    expect(problems).toEqual([
      'serve.public.port: must be integer (got "many")',
      'hashers.algorithm: must be one of "argon2", "bcrypt" (got "md5")',
    ]);
  });

  it('reports an unreadable or malformed file as a problem, not a crash', () => {
    expect(
      problemsOf(() => loadConfig({ configFiles: ['/nope.yml'], env: {}, dev: true, cwd: '/' })),
    ).toEqual(['config file /nope.yml: cannot be read (ENOENT)']);
    const broken = writeConfig('{"dsn": ', 'broken.json');
    expect(problemsOf(() => loadConfig({ configFiles: [broken], env: {}, dev: true, cwd: '/' }))[0]).toMatch(
      /is not valid YAML\/JSON/,
    );
  });

  it('accepts a Kratos quickstart config as it is and warns once per key it does not act on', () => {
    const loaded = loadConfig({ configFiles: [quickstart], env: {}, dev: false, cwd: '/' });
    expect(loaded.values['dsn']).toBe('memory');
    expect(loaded.warnings).toContain('config key "ciphers" is not supported by Tessera yet and is ignored');
    // The methods Tessera now implements are acted on, not warned about.
    expect(loaded.warnings.filter((warning) => warning.includes('"selfservice.methods'))).toEqual([]);
    // The courier acts on the quickstart's SMTP settings.
    expect(loaded.warnings.filter((warning) => warning.includes('"courier'))).toEqual([]);
    expect(new Set(loaded.warnings).size).toBe(loaded.warnings.length);
    expect(loaded.secrets).toContain('PLEASE-CHANGE-ME-I-AM-VERY-INSECURE');
  });

  it('collects the password inside the DSN as a secret to mask', () => {
    const loaded = loadConfig({
      configFiles: [],
      env: { DSN: 'postgres://u:s3cr3t-pw@db/x' },
      dev: true,
      cwd: '/',
    });
    expect(loaded.secrets).toContain('s3cr3t-pw');
  });

  it('rejects a default schema id that is not configured', () => {
    const problems = problemsOf(() =>
      loadConfig({ configFiles: [], env: { IDENTITY_DEFAULT_SCHEMA_ID: 'customer' }, dev: true, cwd: '/' }),
    );
    expect(problems).toEqual(['identity.default_schema_id: "customer" is not an id in identity.schemas']);
  });
});
