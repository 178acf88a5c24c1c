import { Injectable } from '@nestjs/common';
import { inputNode, type UiNode } from '../../flow/index.js';
import { WebAuthnText } from '../../text/index.js';
import { KeySettings } from './key-settings.js';
import { type StoredKey } from './webauthn-credentials.js';
import { hiddenNode, triggerNode } from './webauthn-nodes.js';

const MAX_NAME = 255;

/** Security keys in the settings flow: add one (named), remove one. Both need a privileged session. */
@Injectable()
export class WebAuthnSettings extends KeySettings {
  protected readonly type = 'webauthn';
  protected readonly registerField = 'webauthn_register';
  protected readonly passwordless = false;
  protected readonly texts = {
    unknownKey: 'You tried to remove a WebAuthn credential which does not exist.',
    duplicateKey: 'This security key has already been added.',
  };

  protected removeLabel(key: StoredKey) {
    return WebAuthnText.removeSecurityKey(key.display_name, new Date(key.added_at));
  }

  protected userVerification() {
    return 'discouraged' as const;
  }

  protected registrationNodes(options: object): UiNode[] {
    const json = JSON.stringify(options);
    return [
      inputNode(
        'webauthn',
        { name: 'webauthn_register_displayname', type: 'text', value: '' },
        WebAuthnText.securityKeyName(),
      ),
      hiddenNode('webauthn', 'webauthn_register'),
      triggerNode(
        'webauthn',
        'webauthn_register_trigger',
        'oryWebAuthnRegistration',
        WebAuthnText.addSecurityKey(),
        json,
        true,
      ),
    ];
  }

  /** The name the user typed in `webauthn_register_displayname`. */
  protected keyName(body: Record<string, unknown>) {
    const rawName = body['webauthn_register_displayname'];
    return typeof rawName === 'string' ? rawName.trim().slice(0, MAX_NAME) : '';
  }
}
