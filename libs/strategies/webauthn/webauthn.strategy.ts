import { Injectable } from '@nestjs/common';
import {
  type FlowContext,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
  type LoginStrategy,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  type SettingsStrategy,
} from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { WebAuthnLogin } from './webauthn-login.js';
import { WebAuthnSettings } from './webauthn-settings.js';

/**
 * Security keys (`selfservice.methods.webauthn`) as a second factor: step-up on aal2 login flows,
 * added and removed in settings. Passwordless WebAuthn is the passkey strategy's job.
 */
@Injectable()
export class WebAuthnStrategy implements LoginStrategy, SettingsStrategy {
  readonly id = 'webauthn';

  constructor(
    private readonly webAuthnLogin: WebAuthnLogin,
    private readonly webAuthnSettings: WebAuthnSettings,
  ) {}

  populateLogin(flow: LoginFlowEntity, audience: LoginAudience): Promise<void> {
    return this.webAuthnLogin.populate(flow, audience);
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    return this.webAuthnLogin.login(flow, body, ctx);
  }

  populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    return this.webAuthnSettings.populate(flow, identity);
  }

  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    return this.webAuthnSettings.settings(flow, body, ctx);
  }
}
