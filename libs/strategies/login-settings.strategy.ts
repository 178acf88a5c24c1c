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
} from '../flow/index.js';
import { type IdentityEntity } from '../identity/index.js';

/** A method's part in the login flow. It tells by the body whether a submission is its own. */
export interface LoginPart {
  populate: LoginStrategy['populateLogin'];
  login: LoginStrategy['login'];
}

/** A method's part in the settings flow. It tells by the body whether a submission is its own. */
export interface SettingsPart {
  populate: SettingsStrategy['populateSettings'];
  settings: SettingsStrategy['settings'];
}

/**
 * A credential type that takes part in the login and settings flows through one class per flow;
 * the strategy itself only hands the calls on.
 */
export abstract class LoginSettingsStrategy implements LoginStrategy, SettingsStrategy {
  abstract readonly id: string;

  protected constructor(
    private readonly loginPart: LoginPart,
    private readonly settingsPart: SettingsPart,
  ) {}

  populateLogin(flow: LoginFlowEntity, audience: LoginAudience): Promise<void> {
    return this.loginPart.populate(flow, audience);
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    return this.loginPart.login(flow, body, ctx);
  }

  populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    return this.settingsPart.populate(flow, identity);
  }

  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    return this.settingsPart.settings(flow, body, ctx);
  }
}
