import { describe, expect, it } from 'vitest';
import { ConfigService } from './config.service.js';

function config(values: Record<string, unknown>): ConfigService {
  return new ConfigService({ values, warnings: [], secrets: [] });
}

describe('ConfigService lookups', () => {
  const service = config({
    serve: { public: { host: '0.0.0.0', port: 4433, base_url: 'https://id.example.org/base' } },
    selfservice: { flows: { login: { lifespan: '10m' }, settings: { lifespan: '1h30m' } } },
    'a.b': 'dotted key, unreachable by path',
  });

  it('reads the same value however often a path is asked, and each path its own', () => {
    for (let i = 0; i < 3; i++) {
      expect(service.get('serve.public.port')).toBe(4433);
      expect(service.get('serve.public.host')).toBe('0.0.0.0');
      expect(service.get('serve.public.nothing.below')).toBeUndefined();
      expect(service.get('a.b')).toBeUndefined();
    }
  });

  it('still answers once more distinct paths were asked than it keeps', () => {
    for (let i = 0; i < 3000; i++) expect(service.get(`unknown.key${i}`)).toBeUndefined();
    expect(service.get('serve.public.port')).toBe(4433);
    expect(service.get('selfservice.flows.login.lifespan')).toBe('10m');
  });

  it('builds links on the base URL, with or without a leading slash', () => {
    for (let i = 0; i < 2; i++) {
      expect(service.url('public', 'self-service/login?flow=1')).toBe(
        'https://id.example.org/base/self-service/login?flow=1',
      );
      expect(service.url('public', '/sessions/whoami')).toBe('https://id.example.org/base/sessions/whoami');
    }
  });

  it('parses each duration, configured or fallback, to the same milliseconds every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(service.duration('selfservice.flows.login.lifespan', '1h')).toBe(600_000);
      expect(service.duration('selfservice.flows.settings.lifespan', '1h')).toBe(5_400_000);
      expect(service.duration('selfservice.flows.recovery.lifespan', '1h')).toBe(3_600_000);
      expect(service.duration('selfservice.flows.recovery.lifespan', '15m')).toBe(900_000);
    }
  });
});
