import { Injectable } from '@nestjs/common';
import {
  addUiMessage,
  type FlowContext,
  type IdentifierHint,
  type LoginAudience,
  type LoginFlowEntity,
  type LoginResult,
  type LoginStrategy,
  type RegistrationFlowEntity,
  type RegistrationResult,
  type RegistrationStrategy,
  type SettingsContext,
  type SettingsFlowEntity,
  type SettingsResult,
  type SettingsStrategy,
} from '../../flow/index.js';
import { type IdentityEntity, IdentityRepository } from '../../identity/index.js';
import { Text } from '../../text/index.js';
import { providerButtons } from './oidc-nodes.js';
import { OidcProviders } from './oidc-providers.js';
import { OidcRegistration } from './oidc-registration.js';
import { OidcStart } from './oidc-start.js';
import { oidcIdentifier, oidcResumeOf } from './oidc-resume.js';
import { OidcSettings } from './oidc-settings.js';
import { OidcIdTokenFlows } from './id-token/id-token-flows.js';
import { submittedIdToken } from './id-token/oidc-id-tokens.js';

/** Kratos answers `provider` without `method`; a `provider` with another method is not ours. */
function providerOf(body: Record<string, unknown>): string | null {
  const method = body['method'];
  if (method !== 'oidc' && !(method === undefined || method === '')) return null;
  const provider = body['provider'];
  if (typeof provider !== 'string' || provider === '') return method === 'oidc' ? '' : null;
  return provider;
}

/** Social sign-in (`oidc`) in the login and registration flows, and provider links in settings. */
@Injectable()
export class OidcStrategy implements LoginStrategy, RegistrationStrategy, SettingsStrategy {
  readonly id = 'oidc';

  constructor(
    private readonly providers: OidcProviders,
    private readonly starter: OidcStart,
    private readonly identities: IdentityRepository,
    private readonly registration: OidcRegistration,
    private readonly linking: OidcSettings,
    private readonly idTokenFlows: OidcIdTokenFlows,
  ) {}

  private buttons() {
    return this.providers
      .all()
      .filter((p) => !p.config.organization_id)
      .map((p) => ({ id: p.config.id, label: this.providers.labelOf(p) }));
  }

  async populateLogin(flow: LoginFlowEntity, { identity }: LoginAudience): Promise<void> {
    if (flow.requestedAal === 'aal2' && !flow.refresh) return;
    let buttons = this.buttons();
    if (flow.refresh && identity) {
      const linked = (identity.credentials ?? [])
        .filter((c) => c.type === 'oidc')
        .flatMap((c) => c.identifiers.map((i) => i.identifier.split(':')[0]));
      buttons = buttons.filter((b) => linked.includes(b.id));
    }
    flow.ui.nodes.push(...providerButtons(buttons, 'login'));
  }

  /** identifier_first, step one: every provider, as on the one-step form. */
  populateIdentification(flow: LoginFlowEntity): Promise<void> {
    flow.ui.nodes.push(...providerButtons(this.buttons(), 'login'));
    return Promise.resolve();
  }

  /**
   * identifier_first, step two (Kratos): a known identity sees only the providers it is linked
   * to, none when it has none; an unknown identifier, or any with mitigation, keeps them all.
   */
  populateIdentifierFirstCredentials(flow: LoginFlowEntity, hint: IdentifierHint): Promise<boolean> {
    const linked = (hint.identity?.credentials ?? [])
      .filter((c) => c.type === 'oidc')
      .flatMap((c) => c.identifiers.map((i) => i.identifier.split(':')[0]));
    const buttons = this.buttons().filter((b) => linked.includes(b.id));
    if (hint.mitigate) return Promise.resolve(true);
    if (hint.identity) {
      flow.ui.nodes = flow.ui.nodes.filter((n) => n.group !== 'oidc');
      flow.ui.nodes.push(...providerButtons(buttons, 'login'));
    }
    return Promise.resolve(buttons.length > 0);
  }

  populateRegistration(flow: RegistrationFlowEntity): void {
    flow.ui.nodes.push(...providerButtons(this.buttons(), 'registration'));
  }

  async login(flow: LoginFlowEntity, body: Record<string, unknown>, ctx: FlowContext): Promise<LoginResult> {
    const resume = oidcResumeOf(ctx);
    if (resume) {
      const { provider, person } = resume;
      let identity = resume.identity ?? null;
      if (!identity) {
        const credential = await this.identities.findCredentialByIdentifier(
          'oidc',
          oidcIdentifier(provider, person.claims.sub),
        );
        identity = credential ? await this.identities.findById(credential.identityId) : null;
      }
      if (!identity) {
        addUiMessage(flow.ui, Text.reason('The OpenID Connect account is not linked to any identity.'));
        return { kind: 'invalid' };
      }
      return { kind: 'identified', identity, method: 'oidc', aal: 'aal1', provider };
    }
    const provider = providerOf(body);
    if (provider === null) return { kind: 'not_responsible' };
    const idToken = submittedIdToken(body);
    if (idToken) return this.idTokenFlows.login(flow, provider, idToken, body, ctx);
    const redirect = await this.starter.start(flow, 'login', provider, body, ctx);
    return redirect ? { kind: 'redirect', redirect } : { kind: 'invalid' };
  }

  async register(
    flow: RegistrationFlowEntity,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<RegistrationResult> {
    const resume = oidcResumeOf(ctx);
    if (resume) return this.registration.register(flow, resume, body, ctx);
    const provider = providerOf(body);
    if (provider === null) return { kind: 'not_responsible' };
    const idToken = submittedIdToken(body);
    if (idToken) return this.idTokenFlows.register(flow, provider, idToken, body, ctx);
    const redirect = await this.starter.start(flow, 'registration', provider, body, ctx);
    return redirect ? { kind: 'redirect', redirect } : { kind: 'invalid' };
  }

  async populateSettings(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    flow.ui.nodes.push(...this.linking.nodes(identity));
  }

  settings(
    flow: SettingsFlowEntity,
    body: Record<string, unknown>,
    ctx: SettingsContext,
  ): Promise<SettingsResult> {
    if (!oidcResumeOf(ctx) && body['method'] !== this.id) return Promise.resolve({ kind: 'not_responsible' });
    return this.linking.settings(flow, body, ctx);
  }
}
