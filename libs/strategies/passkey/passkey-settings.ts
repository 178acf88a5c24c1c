import { Injectable } from '@nestjs/common';
import { type SettingsFlowEntity, type UiNode } from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { WebAuthnText } from '../../text/index.js';
import {
  hiddenNode,
  KeySettings,
  passkeyUserVerification,
  type StoredKey,
  triggerNode,
} from '../webauthn/index.js';

/** Passkeys in the settings flow: add one, remove one (never the last way to sign in). */
@Injectable()
export class PasskeySettings extends KeySettings {
  protected readonly type = 'passkey';
  protected readonly registerField = 'passkey_settings_register';
  protected readonly passwordless = true;
  protected readonly texts = {
    unknownKey: 'You tried to remove a passkey which does not exist.',
    duplicateKey: 'This passkey has already been added.',
    lastKey: 'You cannot remove the last passkey, it is your only way to sign in.',
  };

  /** webauthn.js starts passkey ceremonies in browsers only. */
  protected override offered(flow: SettingsFlowEntity): boolean {
    return super.offered(flow) && flow.type === 'browser';
  }

  protected removeLabel(key: StoredKey) {
    return WebAuthnText.removePasskey(key.display_name, new Date(key.added_at));
  }

  protected userVerification() {
    return passkeyUserVerification(this.config);
  }

  protected registrationNodes(options: object): UiNode[] {
    return [
      hiddenNode('passkey', 'passkey_create_data', JSON.stringify({ credentialOptions: options })),
      hiddenNode('passkey', 'passkey_settings_register'),
      triggerNode(
        'passkey',
        'passkey_register_trigger',
        'oryPasskeySettingsRegistration',
        WebAuthnText.addPasskey(),
      ),
    ];
  }

  protected keyName(_body: Record<string, unknown>, identity: IdentityEntity) {
    return this.userName(identity);
  }
}
