import { Injectable } from '@nestjs/common';
import {
  type FlowContext,
  type IdentifierHint,
  type LoginFlowEntity,
  type RegistrationFlowEntity,
  type RegistrationScreen,
  type RegistrationResult,
  type RegistrationStrategy,
} from '../../flow/index.js';
import { LoginSettingsStrategy } from '../login-settings.strategy.js';
import { PasskeyLogin } from './passkey-login.js';
import { PasskeyRegistration } from './passkey-registration.js';
import { PasskeySettings } from './passkey-settings.js';

/** Passkeys (`selfservice.methods.passkey`): passwordless sign-up, sign-in and settings (aal1). */
@Injectable()
export class PasskeyStrategy extends LoginSettingsStrategy implements RegistrationStrategy {
  readonly id = 'passkey';

  constructor(
    private readonly passkeyLogin: PasskeyLogin,
    private readonly passkeyRegistration: PasskeyRegistration,
    passkeySettings: PasskeySettings,
  ) {
    super(passkeyLogin, passkeySettings);
  }

  populateIdentification(flow: LoginFlowEntity): Promise<void> {
    return this.passkeyLogin.populateIdentification(flow);
  }

  populateIdentifierFirstCredentials(flow: LoginFlowEntity, hint: IdentifierHint): Promise<boolean> {
    return this.passkeyLogin.populateIdentifierFirstCredentials(flow, hint);
  }

  populateRegistration(
    flow: RegistrationFlowEntity,
    screen: RegistrationScreen,
    traits?: Record<string, unknown>,
  ): void {
    if (screen !== 'profile') this.passkeyRegistration.populate(flow, screen, traits ?? {});
  }

  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    return this.passkeyRegistration.register(flow, body, ctx);
  }
}
