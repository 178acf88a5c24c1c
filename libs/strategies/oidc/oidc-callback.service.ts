import { Injectable } from '@nestjs/common';
import { ApiError } from '../../errors/index.js';
import {
  addUiMessage,
  clearMessages,
  FlowFactory,
  FlowHttp,
  type LoginFlowEntity,
  LoginFlowService,
  type LoginOutcome,
  type RegistrationFlowEntity,
  RegistrationFlowService,
  type RegistrationOutcome,
  type SettingsFlowEntity,
  SettingsFlowService,
  type SettingsOutcome,
  withQuery,
} from '../../flow/index.js';
import { OidcDuplicateError, OidcLinking } from './oidc-linking.js';
import { IdentityRepository, IdentityService } from '../../identity/index.js';
import { Clock } from '../../persistence/index.js';
import { type DeviceInfo, sameHash, type SessionEntity, SessionTokenExchanges } from '../../session/index.js';
import { Text } from '../../text/index.js';
import { OidcContinuity } from './oidc-continuity.js';
import { OidcConversion } from './oidc-conversion.js';
import { OidcProviders } from './oidc-providers.js';
import { OidcStart } from './oidc-start.js';
import { type OidcState } from './oidc-state.js';
import { oidcIdentifier, type OidcResume } from './oidc-resume.js';
import { OidcFlowError, ProviderUnavailableError } from './providers/index.js';

const INCOMPLETE = 'Unable to complete OpenID Connect flow because';

export interface CallbackInput {
  /** The `{provider}` path segment; undefined on the provider-less (`pkce: force`) route. */
  providerInUrl?: string;
  query: Record<string, string>;
  /** The nonce this browser's continuity cookie holds for a flow. */
  nonceFor: (flowId: string) => string | undefined;
  session: SessionEntity | null;
  device: DeviceInfo;
}

export type CallbackOutcome =
  /** No flow to attach it to: error UI for browsers. */
  | { kind: 'error'; error: unknown }
  /** Back to the flow's UI, with its messages. */
  | { kind: 'flow'; flowKind: 'login'; flow: LoginFlowEntity }
  | { kind: 'flow'; flowKind: 'registration'; flow: RegistrationFlowEntity }
  /** `linkingFlowId`: the login flow that now holds an account-linking request. */
  | { kind: 'redirect'; url: string; linkingFlowId?: string }
  | { kind: 'flow'; flowKind: 'settings'; flow: SettingsFlowEntity }
  | { kind: 'settings'; outcome: SettingsOutcome }
  | { kind: 'login'; outcome: LoginOutcome }
  | { kind: 'registration'; outcome: RegistrationOutcome };

const badRequest = (reason: string) => new ApiError(400, { reason });
const EXCHANGE_MISMATCH = `${INCOMPLETE} the state does not belong to this flow's session token exchange.`;
const NO_CODE = `${INCOMPLETE} the OpenID Provider did not return the code query parameter.`;

function providerErrorReason(query: Record<string, string>): string {
  const description = query['error_description'] ? `: ${query['error_description']}` : '';
  return `${INCOMPLETE} the OpenID Provider returned error "${query['error']}"${description}`;
}

function flowExpiredError(): ApiError {
  return new ApiError(410, {
    id: 'self_service_flow_expired',
    reason: 'The self-service flow expired, initialize a new one.',
    message: 'self-service flow expired',
  });
}

function continuityError(reason: 'not_resumable' | 'state_mismatch'): ApiError {
  return badRequest(
    reason === 'not_resumable'
      ? 'no resumable session found'
      : `${INCOMPLETE} the state parameter does not match the one this browser started with.`,
  );
}

/**
 * The provider's redirect back, in Kratos' order: state, flow, continuity, provider error, code,
 * existing session, code exchange and claims, then login or registration (converting one into
 * the other when the subject is known or unknown).
 */
@Injectable()
export class OidcCallback {
  constructor(
    private readonly providers: OidcProviders,
    private readonly starter: OidcStart,
    private readonly logins: LoginFlowService,
    private readonly registrations: RegistrationFlowService,
    private readonly identities: IdentityRepository,
    private readonly http: FlowHttp,
    private readonly clock: Clock,
    private readonly linking: OidcLinking,
    private readonly factory: FlowFactory,
    private readonly settingsFlows: SettingsFlowService,
    private readonly identityService: IdentityService,
    private readonly exchanges: SessionTokenExchanges,
    private readonly conversion: OidcConversion,
  ) {}

  /**
   * A provider linked in settings: the flow needs the session of its identity (the settings
   * flow's own rule), the continuity of the browser, then the code exchange; the settings flow
   * service links the connection (or refuses a subject another identity has).
   */
  private async settingsCallback(input: CallbackInput, state: OidcState): Promise<CallbackOutcome> {
    let flow: SettingsFlowEntity;
    try {
      flow = await this.settingsFlows.get(state.flowId);
    } catch (error) {
      return { kind: 'error', error };
    }
    if (!input.session || input.session.identityId !== flow.identityId) {
      return {
        kind: 'error',
        error: new ApiError(401, {
          id: 'session_inactive',
          reason: 'No active session was found in this request.',
          message: 'request does not have a valid authentication session',
        }),
      };
    }
    if (this.settingsFlows.isExpired(flow)) return { kind: 'error', error: flowExpiredError() };
    const query = input.query;
    const resumed = OidcContinuity.resume(flow, input.nonceFor(flow.id), query['state']!, this.clock.now());
    if (!resumed.ok) return { kind: 'error', error: continuityError(resumed.reason) };
    const problem = query['error'] ? providerErrorReason(query) : !query['code'] ? NO_CODE : null;
    if (problem) {
      clearMessages(flow.ui);
      addUiMessage(flow.ui, Text.reason(problem));
      await this.settingsFlows.save(flow);
      return { kind: 'flow', flowKind: 'settings', flow };
    }
    const provider = this.providers.get(state.provider);
    try {
      const person = await provider.exchange({
        redirectUri: this.providers.redirectUri(provider),
        query,
        ...(state.codeVerifier ? { codeVerifier: state.codeVerifier } : {}),
      });
      const outcome = await this.settingsFlows.submit(flow, {
        client: 'browser',
        device: input.device,
        session: input.session,
        identity: await this.identityService.get(flow.identityId),
        body: { method: 'oidc' },
        resume: { oidc: { provider: state.provider, person } },
      });
      return { kind: 'settings', outcome };
    } catch (error) {
      if (error instanceof OidcFlowError) {
        clearMessages(flow.ui);
        addUiMessage(flow.ui, Text.reason(error.message));
        await this.settingsFlows.save(flow);
        return { kind: 'flow', flowKind: 'settings', flow };
      }
      if (error instanceof ProviderUnavailableError)
        return { kind: 'error', error: new ApiError(500, { reason: error.message }) };
      throw error;
    }
  }

  async handle(input: CallbackInput): Promise<CallbackOutcome> {
    const { query } = input;
    if (!query['state']) {
      return {
        kind: 'error',
        error: badRequest(`${INCOMPLETE} the OpenID Provider did not return the state query parameter.`),
      };
    }
    const state = this.starter.state.open(query['state']);
    if (!state) return { kind: 'error', error: badRequest(`${INCOMPLETE} the state parameter is invalid.`) };
    if (input.providerInUrl !== undefined && input.providerInUrl !== state.provider) {
      return { kind: 'error', error: badRequest('provider mismatch between internal state and URL') };
    }
    if (state.kind === 'settings') return this.settingsCallback(input, state);
    let flow: LoginFlowEntity | RegistrationFlowEntity;
    try {
      flow =
        state.kind === 'login'
          ? await this.logins.get(state.flowId)
          : await this.registrations.get(state.flowId);
    } catch (error) {
      return { kind: 'error', error };
    }
    const expired =
      state.kind === 'login'
        ? this.logins.isExpired(flow as LoginFlowEntity)
        : this.registrations.isExpired(flow);
    if (expired) return { kind: 'error', error: flowExpiredError() };
    // A native app's flow with a token exchange: the system browser holds no cookie of ours; the
    // sealed state proves it started from this flow by carrying the hash of the flow's init code.
    const exchangeHash = flow.type === 'api' ? await this.exchanges.initCodeHashOf(flow.id) : null;
    if (exchangeHash !== null && !sameHash(state.initCodeHash, exchangeHash))
      return { kind: 'error', error: badRequest(EXCHANGE_MISMATCH) };
    const resumed =
      exchangeHash !== null
        ? OidcContinuity.resumeWithoutBrowser(flow, query['state'], this.clock.now())
        : OidcContinuity.resume(flow, input.nonceFor(flow.id), query['state'], this.clock.now());
    if (!resumed.ok) return { kind: 'error', error: continuityError(resumed.reason) };
    if (exchangeHash !== null) {
      // The app, not the system browser, is who signs in: a cookie session there does not count.
      const app = { ...input, session: null };
      return this.native(state.kind, flow, await this.signIn(app, state, flow, resumed, 'api'));
    }
    return this.signIn(input, state, flow, resumed, 'browser');
  }

  /** Provider error, code exchange and claims, then login or registration (converted as needed). */
  private async signIn(
    input: CallbackInput,
    state: OidcState,
    flow: LoginFlowEntity | RegistrationFlowEntity,
    resumed: { traits?: Record<string, unknown>; transientPayload?: Record<string, unknown> },
    client: 'browser' | 'api',
  ): Promise<CallbackOutcome> {
    const { query } = input;
    const problem = query['error'] ? providerErrorReason(query) : !query['code'] ? NO_CODE : null;
    if (problem) return this.flowMessage(state, flow, problem);
    const refresh = state.kind === 'login' && (flow as LoginFlowEntity).refresh;
    if (input.session && !refresh)
      return { kind: 'redirect', url: this.http.returnUrl(state.kind, flow.returnTo, 'oidc') };

    const provider = this.providers.get(state.provider);
    let resume: OidcResume;
    try {
      const person = await provider.exchange({
        redirectUri: this.providers.redirectUri(provider),
        query,
        ...(state.codeVerifier ? { codeVerifier: state.codeVerifier } : {}),
      });
      resume = { provider: state.provider, person };
    } catch (error) {
      if (error instanceof OidcFlowError) return this.flowMessage(state, flow, error.message);
      if (error instanceof ProviderUnavailableError)
        return { kind: 'error', error: new ApiError(500, { reason: error.message }) };
      throw error;
    }
    const body: Record<string, unknown> = {
      method: 'oidc',
      provider: state.provider,
      ...(resumed.traits ? { traits: resumed.traits } : {}),
      ...(resumed.transientPayload ? { transient_payload: resumed.transientPayload } : {}),
    };
    const known = await this.identities.findCredentialByIdentifier(
      'oidc',
      oidcIdentifier(state.provider, resume.person.claims.sub),
    );
    const submit = {
      client,
      device: input.device,
      session: input.session,
      body,
      resume: { oidc: resume },
    };
    if (known) {
      const login = state.kind === 'login' ? (flow as LoginFlowEntity) : await this.conversion.loginFor(flow);
      const identity = await this.identities.findById(known.identityId);
      if (identity) resume.identity = identity;
      return { kind: 'login', outcome: await this.logins.submit(login, submit) };
    }
    const registration = state.kind === 'registration' ? flow : await this.conversion.registrationFor(flow);
    try {
      return { kind: 'registration', outcome: await this.registrations.submit(registration, submit) };
    } catch (error) {
      if (!(error instanceof OidcDuplicateError)) throw error;
      const login = await this.conversion.loginFor(flow, true);
      await this.linking.hold(login, error);
      await this.logins.save(login);
      return {
        kind: 'redirect',
        url: withQuery(this.factory.uiUrl('login', login.id), { no_org_ui: 'true' }),
        linkingFlowId: login.id,
      };
    }
  }

  /**
   * Where a native app's system browser goes: to `return_to?code=<return_to_code>` once a session
   * was issued (its token waits, sealed, for the exchange), else back to `return_to` (with
   * `flow=<id>` when the app is to continue on a login flow, as for linking). Never a cookie.
   */
  private async native(
    kind: 'login' | 'registration',
    started: LoginFlowEntity | RegistrationFlowEntity,
    outcome: CallbackOutcome,
  ): Promise<CallbackOutcome> {
    const back = (query: Record<string, string> = {}, flow = started) =>
      ({
        kind: 'redirect',
        url: withQuery(this.http.returnUrl(kind, flow.returnTo, 'oidc'), query),
      }) as const;
    if (outcome.kind === 'error') return outcome;
    if (outcome.kind === 'redirect')
      return outcome.linkingFlowId ? back({ flow: outcome.linkingFlowId }) : back();
    const done =
      outcome.kind === 'login' && outcome.outcome.kind === 'signed_in'
        ? outcome.outcome
        : outcome.kind === 'registration' && outcome.outcome.kind === 'registered'
          ? outcome.outcome
          : null;
    if (!done?.session || !done.token) return back();
    const code = await this.exchanges.complete(done.flow.id, done.session.id, done.token);
    return back(code ? { code } : {}, done.flow);
  }

  private async flowMessage(
    state: OidcState,
    flow: LoginFlowEntity | RegistrationFlowEntity,
    reason: string,
  ): Promise<CallbackOutcome> {
    clearMessages(flow.ui);
    addUiMessage(flow.ui, Text.reason(reason));
    flow.updatedAt = this.clock.now();
    if (state.kind === 'login') {
      await this.logins.save(flow as LoginFlowEntity);
      return { kind: 'flow', flowKind: 'login', flow: flow as LoginFlowEntity };
    }
    await this.registrations.save(flow);
    return { kind: 'flow', flowKind: 'registration', flow };
  }
}
