import { describe, expect, it, vi } from 'vitest';
import { type IdentityEntity, type IdentityService } from '../../identity/index.js';
import { KeyStore } from './key-store.js';
import { type StoredKey } from './webauthn-credentials.js';

const key = (id: string, signCount = 1): StoredKey => ({
  id,
  public_key: 'pk',
  attestation_type: 'none',
  authenticator: { aaguid: 'AAAA', sign_count: signCount, clone_warning: false },
  display_name: id,
  added_at: '2026-01-01T00:00:00Z',
  is_passwordless: false,
});

const identityWith = (keys: StoredKey[], version = 0) =>
  ({
    id: 'identity-1',
    credentials: [{ type: 'webauthn', version, config: { credentials: keys, user_handle: 'h' } }],
  }) as unknown as IdentityEntity;

/** The identity service's compare-and-set over one stored identity: fails for a stale read. */
function identities(stored: { identity: IdentityEntity }) {
  return {
    get: vi.fn(async () => stored.identity),
    setCredentialConfigIfUnchanged: vi.fn(async (read: IdentityEntity, _type: string, config: object) => {
      const now = stored.identity.credentials![0]!;
      if (read.credentials![0]!.version !== now.version) return false;
      stored.identity = identityWith((config as { credentials: StoredKey[] }).credentials, now.version + 1);
      return true;
    }),
  };
}

describe('KeyStore.recordUse', () => {
  it('saves the counter on the credential as stored, keeping a key added meanwhile', async () => {
    const read = identityWith([key('a')]);
    const stored = { identity: identityWith([key('a'), key('b')], 1) };
    const store = new KeyStore(identities(stored) as unknown as IdentityService);
    const signedIn = await store.recordUse(read, 'webauthn', key('a'), 7);
    expect(signedIn).not.toBeNull();
    const keys = (stored.identity.credentials![0]!.config as { credentials: StoredKey[] }).credentials;
    expect(keys.map((k) => [k.id, k.authenticator.sign_count])).toEqual([
      ['a', 7],
      ['b', 1],
    ]);
  });

  it('refuses the sign-in when its key was removed meanwhile, and never writes it back', async () => {
    const read = identityWith([key('a'), key('b')]);
    const stored = { identity: identityWith([key('b')], 1) };
    const store = new KeyStore(identities(stored) as unknown as IdentityService);
    expect(await store.recordUse(read, 'webauthn', key('a'), 7)).toBeNull();
    const keys = (stored.identity.credentials![0]!.config as { credentials: StoredKey[] }).credentials;
    expect(keys.map((k) => k.id)).toEqual(['b']);
  });
});
