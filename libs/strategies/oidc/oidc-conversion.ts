import { Injectable } from '@nestjs/common';
import {
  type FlowContext,
  type LoginFlowEntity,
  LoginFlowService,
  type LoginOutcome,
  type RegistrationFlowEntity,
  RegistrationFlowService,
  type RegistrationOutcome,
} from '../../flow/index.js';
import { SessionTokenExchanges } from '../../session/index.js';
import { type OidcResume } from './oidc-resume.js';

/**
 * Kratos' conversions between the two flows of social sign-in: a login whose subject nobody has
 * signs up on a new registration flow, a registration whose subject is known signs in on a new
 * login flow. The new flow keeps the old one's type, request URL, return_to, identity schema and
 * browser binding, and takes over its pending session token exchange.
 */
@Injectable()
export class OidcConversion {
  constructor(
    private readonly logins: LoginFlowService,
    private readonly registrations: RegistrationFlowService,
    private readonly exchanges: SessionTokenExchanges,
  ) {}

  /** `accountLinking`: the login links the provider to an existing account (one-step form). */
  async loginFor(
    flow: LoginFlowEntity | RegistrationFlowEntity,
    accountLinking = false,
  ): Promise<LoginFlowEntity> {
    const login = await this.logins.create({
      type: flow.type,
      requestUrl: flow.requestUrl,
      ...(flow.returnTo ? { returnTo: flow.returnTo } : {}),
      sameBrowserAs: flow,
      boundOnOpen: true,
      refresh: false,
      aal: 'aal1',
      session: null,
      accountLinking,
    });
    // Only a native app's flow can have a session token exchange.
    if (flow.type === 'api') await this.exchanges.move(flow.id, login.id, login.expiresAt);
    return login;
  }

  async registrationFor(flow: LoginFlowEntity | RegistrationFlowEntity): Promise<RegistrationFlowEntity> {
    const registration = await this.registrations.create({
      type: flow.type,
      requestUrl: flow.requestUrl,
      ...(flow.returnTo ? { returnTo: flow.returnTo } : {}),
      sameBrowserAs: flow,
      boundOnOpen: true,
      ...(flow.identitySchema ? { identitySchema: flow.identitySchema } : {}),
      session: null,
    });
    if (flow.type === 'api') await this.exchanges.move(flow.id, registration.id, registration.expiresAt);
    return registration;
  }

  /** The submission of `resume` to a flow: what the method's fields would have been. */
  private submission(resume: OidcResume, body: Record<string, unknown>, ctx: FlowContext) {
    const { traits, transient_payload } = body;
    return {
      client: ctx.client,
      device: ctx.device,
      session: ctx.session,
      body: {
        method: 'oidc',
        provider: resume.provider,
        ...(traits !== undefined ? { traits } : {}),
        ...(transient_payload !== undefined ? { transient_payload } : {}),
      },
      resume: { oidc: resume },
    };
  }

  /** An ID token of an unknown subject on a login flow: signs up on a new registration flow. */
  async signUp(
    from: LoginFlowEntity,
    resume: OidcResume,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationOutcome> {
    const registration = await this.registrationFor(from);
    return this.registrations.submit(registration, this.submission(resume, body, ctx));
  }

  /** An ID token of a known subject on a registration flow: signs in on a new login flow. */
  async signIn(
    from: RegistrationFlowEntity,
    resume: OidcResume,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<LoginOutcome> {
    const login = await this.loginFor(from);
    return this.logins.submit(login, this.submission(resume, body, ctx));
  }
}
