import { Injectable } from '@nestjs/common';
import {
  type FlowContext,
  type LoginFlowEntity,
  type LoginResult,
  type LoginStrategy,
  type RegistrationFlowEntity,
  type RegistrationResult,
  type RegistrationStrategy,
} from '../../flow/index.js';
import { credentialIdentifiers, IdentitySchemaRegistry } from '../../schema/index.js';
import { type SessionEntity } from '../../session/index.js';
import { PasswordLogin } from './password-login.js';
import { loginNodes, refreshNodes, registrationNodes } from './password-nodes.js';
import { PasswordRegistration } from './password-registration.js';

/** The password credential in the login and registration flows. */
@Injectable()
export class PasswordStrategy implements LoginStrategy, RegistrationStrategy {
  readonly id = 'password';

  constructor(
    private readonly schemas: IdentitySchemaRegistry,
    private readonly passwordLogin: PasswordLogin,
    private readonly passwordRegistration: PasswordRegistration,
  ) {}

  populateLogin(flow: LoginFlowEntity, session: SessionEntity | null): void {
    const identity = session?.identity;
    if (identity) {
      const schema = this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
      const identifier = credentialIdentifiers(schema, identity.traits).password[0];
      if (identifier) return void flow.ui.nodes.push(...refreshNodes(identifier));
    }
    const schema = flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
    flow.ui.nodes.push(...loginNodes(schema));
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.passwordLogin.login(flow, body, ctx);
  }

  populateRegistration(flow: RegistrationFlowEntity): void {
    flow.ui.nodes.push(...registrationNodes());
  }

  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    if (body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.passwordRegistration.register(flow, body, ctx);
  }
}
