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
import { TotpLogin } from './totp-login.js';
import { totpLoginNodes } from './totp-nodes.js';
import { TotpSettings } from './totp-settings.js';

/** An authenticator app (RFC 6238) as a second factor: aal2 login and settings. */
@Injectable()
export class TotpStrategy implements LoginStrategy, SettingsStrategy {
  readonly id = 'totp';

  constructor(
    private readonly totpLogin: TotpLogin,
    private readonly totpSettings: TotpSettings,
  ) {}

  populateLogin(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    if (flow.requestedAal === 'aal2' && identity?.credentials?.some((c) => c.type === 'totp'))
      flow.ui.nodes.push(...totpLoginNodes());
    return Promise.resolve();
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.totpLogin.login(flow, body, ctx);
  }

  populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    return this.totpSettings.populate(flow, identity);
  }

  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.totpSettings.settings(flow, body, ctx);
  }
}
