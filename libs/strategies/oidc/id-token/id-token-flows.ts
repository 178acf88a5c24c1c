import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  addUiMessage,
  type FlowContext,
  type LoginFlowEntity,
  LoginFlowService,
  type LoginResult,
  type RegistrationFlowEntity,
  type RegistrationResult,
} from '../../../flow/index.js';
import { IdentityRepository } from '../../../identity/index.js';
import { Text } from '../../../text/index.js';
import { OidcConversion } from '../oidc-conversion.js';
import { OidcDuplicateError, OidcLinking } from '../oidc-linking.js';
import { OidcRegistration } from '../oidc-registration.js';
import { oidcIdentifier, type OidcResume } from '../oidc-resume.js';
import { IdTokenRefusedError } from './id-token-verifier.js';
import { OidcIdTokens } from './oidc-id-tokens.js';

/**
 * `id_token` + `id_token_nonce` on a login or registration submission (`method=oidc`,
 * `provider=<id>`): the token is verified directly and the person signs in or up with no
 * redirect, on this flow or, converted as on the redirect path, on a new one of the other kind.
 * Every refusal is a message on the flow (400), never a session.
 */
@Injectable()
export class OidcIdTokenFlows {
  constructor(
    private readonly idTokens: OidcIdTokens,
    private readonly identities: IdentityRepository,
    private readonly registration: OidcRegistration,
    private readonly linking: OidcLinking,
    private readonly modules: ModuleRef,
  ) {}

  private async verified(
    ui: LoginFlowEntity['ui'],
    provider: string,
    submitted: { token: string; nonce: string },
  ): Promise<OidcResume | null> {
    try {
      return await this.idTokens.verify(provider, submitted.token, submitted.nonce);
    } catch (error) {
      if (!(error instanceof IdTokenRefusedError)) throw error;
      addUiMessage(ui, Text.reason(error.message));
      return null;
    }
  }

  private async known(resume: OidcResume) {
    const credential = await this.identities.findCredentialByIdentifier(
      'oidc',
      oidcIdentifier(resume.provider, resume.person.claims.sub),
    );
    return credential ? this.identities.findById(credential.identityId) : null;
  }

  /** Kratos' conversions need the flow services, which depend on this strategy: looked up late. */
  private conversion(): OidcConversion {
    return this.modules.get(OidcConversion, { strict: false });
  }

  /** A known subject signs in; an unknown one signs up on a new registration flow (Kratos). */
  async login(
    flow: LoginFlowEntity,
    provider: string,
    submitted: { token: string; nonce: string },
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<LoginResult> {
    const resume = await this.verified(flow.ui, provider, submitted);
    if (!resume) return { kind: 'invalid' };
    const identity = await this.known(resume);
    if (identity) return { kind: 'identified', identity, method: 'oidc', aal: 'aal1', provider };
    try {
      return { kind: 'converted', outcome: await this.conversion().signUp(flow, resume, body, ctx) };
    } catch (error) {
      if (!(error instanceof OidcDuplicateError)) throw error;
      // The address belongs to someone else: this login flow now offers to link (1010016).
      await this.linking.hold(flow, error);
      return { kind: 'invalid' };
    }
  }

  /** An unknown subject signs up; a known one signs in on a new login flow (Kratos). */
  async register(
    flow: RegistrationFlowEntity,
    provider: string,
    submitted: { token: string; nonce: string },
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const resume = await this.verified(flow.ui, provider, submitted);
    if (!resume) return { kind: 'invalid' };
    const identity = await this.known(resume);
    if (identity) {
      const outcome = await this.conversion().signIn(flow, { ...resume, identity }, body, ctx);
      return { kind: 'converted', outcome };
    }
    try {
      return await this.registration.register(flow, resume, body, ctx);
    } catch (error) {
      if (!(error instanceof OidcDuplicateError)) throw error;
      // As on the redirect path: a new login flow holds the credential until the owner signs in.
      const login = await this.conversion().loginFor(flow);
      await this.linking.hold(login, error);
      await this.modules.get(LoginFlowService, { strict: false }).save(login);
      return { kind: 'converted', outcome: { kind: 'flow', flow: login } };
    }
  }
}
