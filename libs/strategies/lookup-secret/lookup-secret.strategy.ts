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
import { type IdentityEntity, isSecondFactor } from '../../identity/index.js';
import { LookupSecretLogin } from './lookup-login.js';
import { lookupLoginNodes } from './lookup-nodes.js';
import { LookupSecretSettings } from './lookup-settings.js';

/** Backup recovery codes as a second factor: aal2 login and settings. */
@Injectable()
export class LookupSecretStrategy implements LoginStrategy, SettingsStrategy {
  readonly id = 'lookup_secret';

  constructor(
    private readonly lookupLogin: LookupSecretLogin,
    private readonly lookupSettings: LookupSecretSettings,
  ) {}

  populateLogin(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    const usable = identity?.credentials?.some((c) => c.type === 'lookup_secret' && isSecondFactor(c));
    if (flow.requestedAal === 'aal2' && usable) flow.ui.nodes.push(...lookupLoginNodes());
    return Promise.resolve();
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.lookupLogin.login(flow, body, ctx);
  }

  populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    return this.lookupSettings.populate(flow, identity);
  }

  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.lookupSettings.settings(flow, body, ctx);
  }
}
