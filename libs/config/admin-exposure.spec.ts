import { describe, expect, it } from 'vitest';
import { adminExposure, isLoopbackHost } from './admin-exposure.js';
import { loadConfig } from './config.loader.js';
import { ConfigService } from './config.service.js';

const HASH = 'a'.repeat(64);

function exposure(env: Record<string, string>) {
  const loaded = loadConfig({ configFiles: [], env: { DSN: 'memory', ...env }, dev: true, cwd: '/tmp' });
  return adminExposure(new ConfigService(loaded));
}

describe('isLoopbackHost', () => {
  it('knows loopback addresses and names', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '', '10.0.0.1', 'example.org', '128.0.0.1', 'localhost.example.org'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});

describe('adminExposure', () => {
  it('starts on loopback (the default) without keys', () => {
    expect(exposure({}).kind).toBe('loopback');
  });

  it('refuses a non-loopback admin bind without keys, in one line naming the key', () => {
    const result = exposure({ SERVE_ADMIN_HOST: '0.0.0.0' });
    expect(result.kind).toBe('refused');
    expect('line' in result && result.line).toMatch(
      /^serve\.admin\.api_keys: is required when serve\.admin\.host is "0\.0\.0\.0"/,
    );
    expect('line' in result && result.line).not.toContain('\n');
  });

  it('starts with a warning when the operator opts out', () => {
    const result = exposure({ SERVE_ADMIN_HOST: '0.0.0.0', SERVE_ADMIN_ALLOW_UNAUTHENTICATED: 'true' });
    expect(result.kind).toBe('opted_out');
  });

  it('is protected by keys, wherever it listens', () => {
    const keys = JSON.stringify([{ id: 'ops', hash: HASH }]);
    expect(exposure({ SERVE_ADMIN_HOST: '0.0.0.0', SERVE_ADMIN_API_KEYS: keys }).kind).toBe('protected');
  });
});

describe('serve.admin.api_keys in the config', () => {
  const load = (keys: unknown) => () =>
    loadConfig({
      configFiles: [],
      env: {
        DSN: 'memory',
        SECRETS_COOKIE: 'a-cookie-secret-of-some-length',
        SERVE_ADMIN_API_KEYS: JSON.stringify(keys),
      },
      dev: true,
      cwd: '/tmp',
    });

  it('accepts SHA-256 hex entries, without a warning, and lower-cases them', () => {
    const loaded = load([{ id: 'ops', hash: HASH.toUpperCase() }])();
    expect(loaded.warnings).toEqual([]);
    expect(new ConfigService(loaded).adminApiKeys).toEqual([{ id: 'ops', hash: HASH }]);
  });

  it('refuses a plain key, an argon2 string, a missing id, and an id listed twice', () => {
    expect(load([{ id: 'ops', hash: 'tessera_ak_plain' }])).toThrow(/serve\.admin\.api_keys\.0\.hash/);
    expect(load([{ id: 'ops', hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' }])).toThrow(/hash/);
    expect(load([{ hash: HASH }])).toThrow(/serve\.admin\.api_keys\.0\.id: is required/);
    expect(
      load([
        { id: 'ops', hash: HASH },
        { id: 'ops', hash: 'b'.repeat(64) },
      ]),
    ).toThrow(/listed twice/);
  });

  it('has a 30 s shutdown grace period unless told otherwise', () => {
    const base = { DSN: 'memory' };
    const at = (env: Record<string, string>) =>
      new ConfigService(loadConfig({ configFiles: [], env: { ...base, ...env }, dev: true, cwd: '/tmp' }))
        .shutdownGracePeriodMs;
    expect(at({})).toBe(30_000);
    expect(at({ SERVE_SHUTDOWN_GRACE_PERIOD: '1m30s' })).toBe(90_000);
    expect(() => at({ SERVE_SHUTDOWN_GRACE_PERIOD: 'soon' })).toThrow(/serve\.shutdown\.grace_period/);
  });
});
