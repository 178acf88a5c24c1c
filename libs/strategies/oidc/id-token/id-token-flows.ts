import { Injectable } from '@nestjs/common';
import {
  addUiMessage,
  type FlowContext,
  type LoginFlowEntity,
  type LoginResult,
  type RegistrationFlowEntity,
  type RegistrationResult,
} from '../../../flow/index.js';
import { IdentityRepository } from '../../../identity/index.js';
import { Text } from '../../../text/index.js';
import { OidcDuplicateError } from '../oidc-linking.js';
import { OidcRegistration } from '../oidc-registration.js';
import { oidcIdentifier, type OidcResume } from '../oidc-resume.js';
import { IdTokenRefusedError } from './id-token-verifier.js';
import { OidcIdTokens } from './oidc-id-tokens.js';

/**
 * `id_token` + `id_token_nonce` on a login or registration submission (`method=oidc`,
 * `provider=<id>`): the token is verified directly and the person signs in or up on this flow,
 * with no redirect. Every refusal is a message on the flow (400), never a session.
 */
@Injectable()
export class OidcIdTokenFlows {
  constructor(
    private readonly idTokens: OidcIdTokens,
    private readonly identities: IdentityRepository,
    private readonly registration: OidcRegistration,
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

  async login(
    flow: LoginFlowEntity,
    provider: string,
    submitted: { token: string; nonce: string },
  ): Promise<LoginResult> {
    const resume = await this.verified(flow.ui, provider, submitted);
    if (!resume) return { kind: 'invalid' };
    const identity = await this.known(resume);
    if (!identity) {
      addUiMessage(
        flow.ui,
        Text.reason('The OpenID Connect account is not linked to any identity; sign up with it first.'),
      );
      return { kind: 'invalid' };
    }
    return { kind: 'identified', identity, method: 'oidc', aal: 'aal1', provider };
  }

  async register(
    flow: RegistrationFlowEntity,
    provider: string,
    submitted: { token: string; nonce: string },
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const resume = await this.verified(flow.ui, provider, submitted);
    if (!resume) return { kind: 'invalid' };
    if (await this.known(resume)) {
      addUiMessage(
        flow.ui,
        Text.reason('The OpenID Connect account is already registered; sign in with it instead.'),
      );
      return { kind: 'invalid' };
    }
    try {
      return await this.registration.register(flow, resume, body, ctx);
    } catch (error) {
      if (!(error instanceof OidcDuplicateError)) throw error;
      addUiMessage(flow.ui, Text.duplicateIdentifier());
      return { kind: 'invalid' };
    }
  }
}
