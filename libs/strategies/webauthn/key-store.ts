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

  private update(
    identity: IdentityEntity,
    type: KeyType,
    key: StoredKey,
    change: (k: StoredKey) => StoredKey,
  ): Promise<IdentityEntity> {
    const config = this.configOf(identity, type);
    const credentials = config.credentials.map((k) => (k.id === key.id ? change(k) : k));
    return this.save(identity, type, { ...config, credentials });
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

  private recordUse(identity: IdentityEntity, type: KeyType, key: StoredKey, signCount: number) {
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
