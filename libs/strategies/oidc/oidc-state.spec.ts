import { describe, expect, it } from 'vitest';
import { SecretCipher } from '../../hash/index.js';
import { initCodeHash, type OidcState, OidcStateCipher } from './oidc-state.js';

const state: OidcState = {
  flowId: '0b3c9a8e-8d4c-4c7e-9a7b-1f2e3d4c5b6a',
  kind: 'registration',
  provider: 'acme',
  codeVerifier: 'verifier-123',
  initCodeHash: initCodeHash('init'),
};

describe('OidcStateCipher', () => {
  const cipher = new OidcStateCipher(new SecretCipher(['a-cipher-secret-of-32-characters']));

  it('round-trips the state and shows nothing of it', () => {
    const sealed = cipher.seal(state);
    expect(cipher.open(sealed)).toEqual(state);
    for (const part of [state.flowId, state.provider, state.codeVerifier, 'registration'])
      expect(sealed).not.toContain(part);
    expect(cipher.seal(state)).not.toBe(sealed);
  });

  it('refuses a tampered state, another key, and garbage', () => {
    const sealed = cipher.seal(state);
    const flipped = sealed.slice(0, -2) + (sealed.endsWith('AA') ? 'BB' : 'AA');
    expect(cipher.open(flipped)).toBeNull();
    const other = new OidcStateCipher(new SecretCipher(['another-secret-of-32-characters!']));
    expect(other.open(sealed)).toBeNull();
    expect(cipher.open('')).toBeNull();
    expect(cipher.open('v1.nope.nope')).toBeNull();
  });

  it('a ciphertext made for another purpose does not open as a state', () => {
    const raw = new SecretCipher(['a-cipher-secret-of-32-characters']);
    expect(cipher.open(raw.encrypt(JSON.stringify(Object.values(state)), 'totp:x'))).toBeNull();
    expect(cipher.open(raw.encrypt(JSON.stringify(['a', 'admin', 'b', 'c', 'd']), 'oidc-state'))).toBeNull();
  });

  it('hashes the native init code with SHA-512, random without one', () => {
    expect(initCodeHash('init')).toBe(initCodeHash('init'));
    expect(Buffer.from(initCodeHash('init'), 'base64url')).toHaveLength(64);
    expect(initCodeHash()).not.toBe(initCodeHash());
  });
});
