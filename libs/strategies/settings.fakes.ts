import { type SettingsContext, SettingsFlowEntity } from '../flow/index.js';
import { type Cipher, SecretCipher } from '../hash/index.js';
import { CredentialEntity, IdentityEntity, type IdentityService } from '../identity/index.js';

// Test doubles for the settings parts of the strategies (unit specs only; not in the build).

export const testCipher = new SecretCipher(['k'.repeat(32)]) as Cipher;

/** The credential writes of `IdentityService` a settings part makes, on one identity in memory. */
export class FakeIdentities {
  readonly identity: IdentityEntity;

  constructor(identity: Partial<IdentityEntity>) {
    this.identity = Object.assign(new IdentityEntity(), { id: 'identity-1', credentials: [], ...identity });
  }

  asService(): IdentityService {
    return this as unknown as IdentityService;
  }

  async putCredential(_id: string, type: string, config: Record<string, unknown>) {
    this.identity.credentials = [
      ...(this.identity.credentials ?? []).filter((c) => c.type !== type),
      Object.assign(new CredentialEntity(), { type, config, identifiers: [], version: 0 }),
    ];
    return this.identity;
  }

  async removeCredential(_id: string, type: string) {
    this.identity.credentials = (this.identity.credentials ?? []).filter((c) => c.type !== type);
    return this.identity;
  }
}

/** A new settings flow of `identity-1`, with no nodes yet. */
export function newSettingsFlow(): SettingsFlowEntity {
  return Object.assign(new SettingsFlowEntity(), {
    id: 'flow-1',
    identityId: 'identity-1',
    ui: { action: '', method: 'POST', nodes: [] },
    internalContext: null,
  });
}

/** The context of a privileged API session of `identity`. */
export function privilegedContext(
  identity: IdentityEntity,
  session: { aal: 'aal1' | 'aal2'; ipAddress: string | null; now: Date },
): SettingsContext {
  return {
    client: 'api',
    device: { ipAddress: session.ipAddress, userAgent: null, location: '' },
    session: { aal: session.aal, identityId: identity.id },
    identity,
    privileged: true,
    now: session.now,
  } as unknown as SettingsContext;
}
