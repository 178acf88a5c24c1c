import { Injectable } from '@nestjs/common';
import { type IdentityEntity, IdentityService } from '../../identity/index.js';
import { type RelyingParty } from './relying-party.js';
import { type PendingCeremony, verifyAssertion } from './webauthn-ceremony.js';
import {
  newUserHandle,
  type StoredKey,
  webAuthnConfig,
  type WebAuthnConfig,
} from './webauthn-credentials.js';

type KeyType = 'webauthn' | 'passkey';

/** Tries of a key's compare-and-set before a busy credential is left for the next sign-in. */
const MAX_KEY_WRITES = 3;

/** Reads and writes the keys of an identity's `webauthn` or `passkey` credential. */
@Injectable()
export class KeyStore {
  constructor(private readonly identities: IdentityService) {}

  configOf(identity: IdentityEntity, type: KeyType): WebAuthnConfig {
    return webAuthnConfig(identity.credentials?.find((c) => c.type === type)?.config);
  }

  /** The identity's user handle for this credential type, or a new one if it has none yet. */
  userHandleOf(identity: IdentityEntity, type: KeyType): string {
    return this.configOf(identity, type).user_handle || newUserHandle();
  }

  save(identity: IdentityEntity, type: KeyType, config: WebAuthnConfig): Promise<IdentityEntity> {
    return this.identities.putKeyCredential(identity.id, {
      type,
      config: { credentials: config.credentials, user_handle: config.user_handle },
      identifiers: type === 'passkey' && config.user_handle ? [config.user_handle] : [],
    });
  }

  /**
   * Changes one key, compared-and-set against the credential as `identity` was read: a key list
   * changed meanwhile is read again, never written back over. Null when the key is gone by then
   * (removed in settings while this sign-in ran: the sign-in must not succeed with it).
   */
  private async update(
    identity: IdentityEntity,
    type: KeyType,
    key: StoredKey,
    change: (k: StoredKey) => StoredKey,
  ): Promise<IdentityEntity | null> {
    let current: IdentityEntity = identity;
    for (let attempt = 0; attempt < MAX_KEY_WRITES; attempt++) {
      const stored = current.credentials?.find((c) => c.type === type);
      const keys = this.configOf(current, type).credentials;
      if (!stored || !keys.some((k) => k.id === key.id)) return null;
      const credentials = keys.map((k) => (k.id === key.id ? change(k) : k));
      const config = { ...stored.config, credentials };
      if (await this.identities.setCredentialConfigIfUnchanged(current, type, config)) return current;
      current = await this.identities.get(identity.id);
    }
    // Others keep writing this credential: if the key is still there, its counter waits for next time.
    return this.configOf(current, type).credentials.some((k) => k.id === key.id) ? current : null;
  }

  /**
   * Checks an assertion against the identity's `keys`. On a pass the key's signature counter is
   * saved and the identity comes back as saved; a counter that went back flags the key as cloned.
   */
  async assert(
    identity: IdentityEntity,
    type: KeyType,
    raw: unknown,
    expected: {
      ceremony: PendingCeremony;
      rp: RelyingParty;
      keys: StoredKey[];
      requireUserVerification: boolean;
    },
  ): Promise<IdentityEntity | null> {
    const { ceremony, rp, keys, requireUserVerification } = expected;
    const outcome = await verifyAssertion(raw, ceremony, rp, keys, requireUserVerification);
    if (!outcome.ok) {
      if (outcome.reason === 'cloned' && outcome.key) await this.flagClone(identity, type, outcome.key);
      return null;
    }
    return this.recordUse(identity, type, outcome.key, outcome.signCount);
  }

  /** Saves a key's signature counter after a passed assertion; null when the key is gone. */
  recordUse(identity: IdentityEntity, type: KeyType, key: StoredKey, signCount: number) {
    return this.update(identity, type, key, (k) => ({
      ...k,
      authenticator: { ...k.authenticator, sign_count: signCount },
    }));
  }

  private flagClone(identity: IdentityEntity, type: KeyType, key: StoredKey) {
    return this.update(identity, type, key, (k) => ({
      ...k,
      authenticator: { ...k.authenticator, clone_warning: true },
    }));
  }
}
