import { Injectable } from '@nestjs/common';
import {
  type FlowContext,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
  type LoginStrategy,
  type RegistrationFlowEntity,
  type RegistrationResult,
  type RegistrationStrategy,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  type SettingsStrategy,
} from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { PasskeyLogin } from './passkey-login.js';
import { PasskeyRegistration } from './passkey-registration.js';
import { PasskeySettings } from './passkey-settings.js';

/** Passkeys (`selfservice.methods.passkey`): passwordless sign-up, sign-in and settings (aal1). */
@Injectable()
export class PasskeyStrategy implements LoginStrategy, RegistrationStrategy, SettingsStrategy {
  readonly id = 'passkey';

  constructor(
    private readonly passkeyLogin: PasskeyLogin,
    private readonly passkeyRegistration: PasskeyRegistration,
    private readonly passkeySettings: PasskeySettings,
  ) {}

  populateLogin(flow: LoginFlowEntity, audience: LoginAudience): Promise<void> {
    return this.passkeyLogin.populate(flow, audience);
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    return this.passkeyLogin.login(flow, body, ctx);
  }

  populateRegistration(flow: RegistrationFlowEntity): void {
    this.passkeyRegistration.populate(flow);
  }

  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    return this.passkeyRegistration.register(flow, body, ctx);
  }

  populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    return this.passkeySettings.populate(flow, identity);
  }

  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    return this.passkeySettings.settings(flow, body, ctx);
  }
}
