import { Injectable } from '@nestjs/common';
import {
  type FlowContext,
  type IdentifierHint,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
  type LoginStrategy,
  type RegistrationFlowEntity,
  type RegistrationScreen,
  type RegistrationResult,
  type RegistrationStrategy,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  type SettingsStrategy,
} from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry } from '../../schema/index.js';
import { PasswordLogin } from './password-login.js';
import { loginNodes, passwordSignInNodes, refreshNodes, registrationNodes } from './password-nodes.js';
import { PasswordRegistration } from './password-registration.js';
import { PasswordSettings, passwordSettingsNodes } from './password-settings.js';

/** The password credential in the login, registration and settings flows. */
@Injectable()
export class PasswordStrategy implements LoginStrategy, RegistrationStrategy, SettingsStrategy {
  readonly id = 'password';

  constructor(
    private readonly schemas: IdentitySchemaRegistry,
    private readonly passwordLogin: PasswordLogin,
    private readonly passwordRegistration: PasswordRegistration,
    private readonly passwordSettings: PasswordSettings,
  ) {}

  async populateLogin(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    if (flow.requestedAal === 'aal2' && !flow.refresh) return;
    if (identity && flow.refresh) {
      const schema = this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
      const identifier = credentialIdentifiers(schema, identity.traits).password[0];
      if (identifier) return void flow.ui.nodes.push(...refreshNodes(identifier));
    }
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    flow.ui.nodes.push(...loginNodes(schema));
  }

  /** Step two of identifier_first: offered when the identity has a password (or mitigating). */
  populateIdentifierFirstCredentials(flow: LoginFlowEntity, hint: IdentifierHint): Promise<boolean> {
    const usable = (hint.identity?.credentials ?? []).some(
      (c) =>
        c.type === 'password' &&
        c.identifiers.length > 0 &&
        typeof c.config['hashed_password'] === 'string' &&
        c.config['hashed_password'] !== '',
    );
    if (usable || hint.mitigate) flow.ui.nodes.push(...passwordSignInNodes());
    return Promise.resolve(usable);
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.passwordLogin.login(flow, body, ctx);
  }

  populateRegistration(flow: RegistrationFlowEntity, screen: RegistrationScreen): void {
    if (screen !== 'profile') flow.ui.nodes.push(...registrationNodes());
  }

  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.passwordRegistration.register(flow, body, ctx);
  }

  async populateSettings(flow: SettingsFlowEntity, _identity: IdentityEntity): Promise<void> {
    flow.ui.nodes.push(...passwordSettingsNodes());
  }

  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.passwordSettings.settings(flow, body, ctx);
  }
}
