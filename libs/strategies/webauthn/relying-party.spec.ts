import { describe, expect, it } from 'vitest';
import { type ConfigService } from '../../config/index.js';
import { methodEnabled, relyingParty } from './relying-party.js';

function config(values: Record<string, unknown>): ConfigService {
  return {
    get: (path: string) => values[path],
    url: (_kind: string, path: string) => `https://auth.example.org:4433${path}`,
  } as unknown as ConfigService;
}

describe('relyingParty', () => {
  it('reads id, display name and origins', () => {
    const rp = relyingParty(
      config({
        'selfservice.methods.passkey.config.rp': {
          id: 'example.org',
          display_name: 'Example',
          origins: ['https://app.example.org/', 'https://www.example.org'],
        },
      }),
      'passkey',
    );
    expect(rp).toEqual({
      id: 'example.org',
      name: 'Example',
      origins: ['https://app.example.org', 'https://www.example.org'],
    });
  });

  it('accepts the legacy single origin', () => {
    const rp = relyingParty(
      config({
        'selfservice.methods.webauthn.config.rp': { id: 'example.org', origin: 'https://example.org' },
      }),
      'webauthn',
    );
    expect(rp.origins).toEqual(['https://example.org']);
  });

  it('falls back to the public URL', () => {
    expect(relyingParty(config({}), 'webauthn')).toEqual({
      id: 'auth.example.org',
      name: 'auth.example.org',
      origins: ['https://auth.example.org:4433'],
    });
  });

  it('is enabled only when the config says true', () => {
    expect(methodEnabled(config({ 'selfservice.methods.passkey.enabled': true }), 'passkey')).toBe(true);
    expect(methodEnabled(config({ 'selfservice.methods.passkey.enabled': 'true' }), 'passkey')).toBe(false);
    expect(methodEnabled(config({}), 'webauthn')).toBe(false);
  });
});
