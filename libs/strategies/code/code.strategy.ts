import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import {
  type FlowContext,
  type IdentifierHint,
  type LoginAnswer,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
  type LoginStrategy,
  type RegistrationFlowEntity,
  type RegistrationScreen,
  type RegistrationResult,
  type RegistrationStrategy,
  submitNode,
} from '../../flow/index.js';
import { IdentitySchemaRegistry } from '../../schema/index.js';
import { CodeText } from '../../text/index.js';
import { ensureLoginIdentifier } from '../login-identifier.js';
import { CodeLogin } from './code-login.js';
import { CodeRegistration } from './code-registration.js';

/** The one-time code method (`selfservice.methods.code`): passwordless sign-in and sign-up, and MFA. */
@Injectable()
export class CodeStrategy implements LoginStrategy, RegistrationStrategy {
  readonly id = 'code';

  constructor(
    private readonly config: ConfigService,
    private readonly codeLogin: CodeLogin,
    private readonly codeRegistration: CodeRegistration,
    private readonly schemas: IdentitySchemaRegistry,
  ) {}

  private flag(name: 'enabled' | 'passwordless_enabled' | 'mfa_enabled', fallback: boolean): boolean {
    return this.config.get<boolean>(`selfservice.methods.code.${name}`) ?? fallback;
  }

  private get passwordless(): boolean {
    return this.flag('enabled', true) && this.flag('passwordless_enabled', false);
  }

  private get mfa(): boolean {
    return this.flag('enabled', true) && this.flag('mfa_enabled', false);
  }

  async populateLogin(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    if (flow.requestedAal === 'aal2' && !flow.refresh) {
      if (!this.mfa || !identity) return;
      const addresses = (identity.credentials ?? [])
        .filter((c) => c.type === 'code')
        .flatMap((c) =>
          ((c.config['addresses'] as { address: string }[] | undefined) ?? []).map((a) => a.address),
        );
      for (const address of addresses)
        flow.ui.nodes.push(submitNode('code', 'address', address, CodeText.sendCodeTo(address)));
      return;
    }
    if (!this.passwordless || flow.refresh) return;
    ensureLoginIdentifier(flow, this.schemas);
    flow.ui.nodes.push(submitNode('code', 'method', 'code', CodeText.signInWithCode()));
  }

  /** Step two of identifier_first: passwordless, for a known identity (or mitigating). */
  populateIdentifierFirstCredentials(flow: LoginFlowEntity, hint: IdentifierHint): Promise<boolean> {
    if (!this.passwordless || (!hint.identity && !hint.mitigate)) return Promise.resolve(false);
    flow.ui.nodes.push(submitNode('code', 'method', 'code', CodeText.signInWithCode()));
    return Promise.resolve(true);
  }

  /** An identity whose only way in is a code gets it sent at once (Kratos' FastLogin1FA). */
  async fastLogin(
    flow: LoginFlowEntity,
    hint: IdentifierHint,
    ctx: FlowContext,
  ): Promise<LoginAnswer | null> {
    const hasCode = (hint.identity?.credentials ?? []).some(
      (c) => c.type === 'code' && c.identifiers.length > 0,
    );
    if (!this.passwordless || hint.mitigate || !hasCode || flow.state !== 'choose_method') return null;
    const result = await this.codeLogin.login(flow, { method: this.id, identifier: hint.identifier }, ctx);
    return result.kind === 'not_responsible' || result.kind === 'identifier_first' ? null : result;
  }

  login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const mfa = flow.requestedAal === 'aal2' && !flow.refresh;
    if (body['method'] !== this.id || !(mfa ? this.mfa : this.passwordless))
      return Promise.resolve({ kind: 'not_responsible' });
    return this.codeLogin.login(flow, body, ctx);
  }

  populateRegistration(flow: RegistrationFlowEntity, screen: RegistrationScreen): void {
    if (this.passwordless && screen !== 'profile')
      flow.ui.nodes.push(submitNode('code', 'method', 'code', CodeText.signUpWithCode()));
  }

  register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    if (body['method'] !== this.id || !this.passwordless) return Promise.resolve({ kind: 'not_responsible' });
    return this.codeRegistration.register(flow, body, ctx);
  }
}
