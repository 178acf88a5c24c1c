import { Injectable } from '@nestjs/common';
import { LoginSettingsStrategy } from '../login-settings.strategy.js';
import { WebAuthnLogin } from './webauthn-login.js';
import { WebAuthnSettings } from './webauthn-settings.js';

/**
 * Security keys (`selfservice.methods.webauthn`) as a second factor: step-up on aal2 login flows,
 * added and removed in settings. Passwordless WebAuthn is the passkey strategy's job.
 */
@Injectable()
export class WebAuthnStrategy extends LoginSettingsStrategy {
  readonly id = 'webauthn';

  constructor(webAuthnLogin: WebAuthnLogin, webAuthnSettings: WebAuthnSettings) {
    super(webAuthnLogin, webAuthnSettings);
  }
}
