import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { type IdentityEntity, IdentityService } from '../../identity/index.js';
import { Clock, Database } from '../../persistence/index.js';
import { aal2Required, type DeviceInfo, type SessionEntity, SessionService } from '../../session/index.js';
import { SettingsText } from '../../text/index.js';
import {
  addUiMessage,
  type AfterSettings,
  type BrowserRedirect,
  type ClientKind,
  clearMessages,
  countingRefusals,
  FlowFactory,
  FlowRejectedError,
  FlowMetrics,
  HookRunner,
  nodeNamed,
  type NewFlow,
  NO_FLOW_METRICS,
  NO_METHOD,
  ReturnToPolicy,
  SETTINGS_STRATEGIES,
  type SettingsContext,
  SettingsFlowEntity,
  type SettingsResult,
  type SettingsStrategy,
  transientPayloadOf,
  VerificationSender,
  withQuery,
} from '../core/index.js';
import { identityMismatch, refreshRequired, sessionInactive, sessionMissing } from './settings-errors.js';
import { type HeldChange, SettingsContinuity } from './settings-continuity.js';
import { SettingsFlowRepository } from './settings-flow.repository.js';
import { orderSettingsNodes } from './settings-nodes.js';
import { withSettingsMethod } from './settings-method.js';
import { type ContinueWith } from './settings-flow.wire.js';

/** What the recovery flow (and the init endpoints) hand over to start a settings flow. */
export interface CreateSettingsFlowFor extends Omit<NewFlow, 'returnTo' | 'identitySchema'> {
  returnTo: string | null;
  identity: IdentityEntity;
  session: SessionEntity;
}

export interface CreateSettingsFlow extends Omit<NewFlow, 'returnTo' | 'identitySchema'> {
  returnTo?: string;
  session: SessionEntity | null;
}

export interface SubmitSettings {
  client: ClientKind;
  device: DeviceInfo;
  session: SessionEntity;
  identity: IdentityEntity;
  body: Record<string, unknown>;
  /** The return leg of a redirecting method (the OIDC callback), never from the request body. */
  resume?: Record<string, unknown>;
}

export type SettingsOutcome =
  /** Invalid input: the flow with its messages. */
  | { kind: 'flow'; flow: SettingsFlowEntity; identity: IdentityEntity }
  /** Another round on the same flow (a code to confirm, a challenge to answer). */
  | { kind: 'continue'; flow: SettingsFlowEntity; identity: IdentityEntity }
  | { kind: 'expired'; flow: SettingsFlowEntity; replacement: SettingsFlowEntity }
  /** The browser goes to the OIDC provider (303, or 422 for JSON clients). */
  | { kind: 'redirect'; flow: SettingsFlowEntity; redirect: BrowserRedirect }
  /**
   * A browser must sign in again (`error`, session_refresh_required) before its change is applied;
   * the change is held for it, and the browser is given `held` to carry in its continuity cookie.
   */
  | { kind: 'refresh_required'; flow: SettingsFlowEntity; error: ApiError; held: HeldChange }
  | {
      kind: 'updated';
      flow: SettingsFlowEntity;
      identity: IdentityEntity;
      continueWith: ContinueWith[];
      /** A browser goes to this verification UI rather than the return URL (`show_verification_ui`). */
      verificationUi?: string;
    };

/**
 * The settings state machine (show_form → success): who may use a flow (its identity, at the
 * assurance level it can reach), expiry, the strategy loop, privileged changes, after-hooks.
 */
@Injectable()
export class SettingsFlowService {
  constructor(
    private readonly db: Database,
    @Inject(SETTINGS_STRATEGIES) private readonly strategies: SettingsStrategy[],
    private readonly factory: FlowFactory,
    private readonly returnTo: ReturnToPolicy,
    private readonly identities: IdentityService,
    private readonly hooks: HookRunner,
    private readonly verification: VerificationSender,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly continuity: SettingsContinuity,
    private readonly sessions: SessionService,
    private readonly flows: SettingsFlowRepository,
    @Optional() private readonly metrics: FlowMetrics = NO_FLOW_METRICS,
  ) {}

  /** The init endpoints: a session is required and must have the assurance level the identity can reach. */
  async create(input: CreateSettingsFlow): Promise<{ flow: SettingsFlowEntity; identity: IdentityEntity }> {
    if (!input.session) throw sessionInactive();
    const returnTo = this.returnTo.validate(input.returnTo);
    const identity = await this.identities.get(input.session.identityId);
    this.assertAal(identity, input.session, input.requestUrl);
    const flow = await this.createFor({ ...input, returnTo, identity, session: input.session }, true);
    return { flow, identity };
  }

  /**
   * A new flow for a signed-in identity with every strategy's nodes; joins the current transaction.
   * `beforeHooks`: the settings `before` hooks run first (the init endpoints; not a recovery's hand-off).
   */
  async createFor(input: CreateSettingsFlowFor, beforeHooks = false): Promise<SettingsFlowEntity> {
    const flow = this.factory.fill(new SettingsFlowEntity(), 'settings', input);
    flow.identityId = input.identity.id;
    flow.state = 'show_form';
    await this.populate(flow, input.identity);
    if (beforeHooks) await this.hooks.before('settings', flow, input.session);
    await this.flows.insert(flow);
    return flow;
  }

  private async populate(flow: SettingsFlowEntity, identity: IdentityEntity): Promise<void> {
    for (const strategy of this.strategies) await strategy.populateSettings(flow, identity);
    flow.ui.nodes = orderSettingsNodes(flow.ui.nodes);
  }

  async get(id: string): Promise<SettingsFlowEntity> {
    const flow = await this.flows.findById(id);
    if (!flow)
      throw new ApiError(404, {
        reason: 'The settings request could not be found. Please restart the flow.',
      });
    return flow;
  }

  /** Only the identity the flow is for may read or submit it, at the assurance level required. */
  async authorize(flow: SettingsFlowEntity, session: SessionEntity | null): Promise<IdentityEntity> {
    if (!session) throw sessionMissing();
    if (session.identityId !== flow.identityId) throw identityMismatch();
    const identity = await this.identities.get(flow.identityId);
    this.assertAal(identity, session, this.resumeUrl(flow.id));
    return identity;
  }

  isExpired(flow: SettingsFlowEntity): boolean {
    return flow.expiresAt <= this.clock.now();
  }

  /** The settings UI showing this flow. */
  uiUrl(flowId: string): string {
    return this.factory.uiUrl('settings', flowId);
  }

  /** A public URL that brings a browser back to this flow's UI (allowed as a return_to). */
  resumeUrl(flowId: string): string {
    return withQuery(this.config.url('public', 'self-service/settings'), { flow: flowId });
  }

  /** Where a browser goes once saved: return_to, the method's or the flow's URL, else the settings UI. */
  successUrl(flow: SettingsFlowEntity): string {
    if (flow.returnTo && this.returnTo.isAllowed(flow.returnTo)) {
      return new URL(flow.returnTo, this.returnTo.defaultReturnUrl()).href;
    }
    const after = 'selfservice.flows.settings.after';
    return (
      (flow.active && this.config.get<string>(`${after}.${flow.active}.default_browser_return_url`)) ||
      this.config.get<string>(`${after}.default_browser_return_url`) ||
      this.uiUrl(flow.id)
    );
  }

  private assertAal(identity: IdentityEntity, session: SessionEntity, returnTo: string): void {
    const required =
      this.config.get<string>('selfservice.flows.settings.required_aal') ?? 'highest_available';
    if (required !== 'highest_available') return;
    if (this.identities.availableAalOf(identity) === 'aal2' && session.aal !== 'aal2') {
      throw aal2Required(this.loginUrl({ aal: 'aal2', return_to: returnTo }));
    }
  }

  /** Where a browser without a session goes from the init endpoint: sign in, then come back. */
  signInUrl(returnTo: string): string {
    return this.loginUrl({ return_to: returnTo });
  }

  /** Where a browser without a session goes when it opens a settings flow: the login UI. */
  loginUiUrl(): string {
    return (
      this.config.get<string>('selfservice.flows.login.ui_url') ??
      'https://www.ory.com/kratos/docs/fallback/login'
    );
  }

  private loginUrl(query: Record<string, string>): string {
    return withQuery(this.config.url('public', 'self-service/login/browser'), query);
  }

  /** Whether the session signed in recently enough for privileged changes. */
  isPrivileged(session: SessionEntity): boolean {
    const maxAge = this.config.duration('selfservice.flows.settings.privileged_session_max_age', '15m');
    return this.clock.now().getTime() - session.authenticatedAt.getTime() < maxAge;
  }

  async submit(flow: SettingsFlowEntity, submitted: SubmitSettings): Promise<SettingsOutcome> {
    const input = { ...submitted, body: this.withMethod(submitted.body) };
    if (this.isExpired(flow))
      return { kind: 'expired', flow, replacement: await this.replace(flow, input.identity) };
    clearMessages(flow.ui);
    flow.transientPayload = null;
    flow.transientPayload = transientPayloadOf(input.body);
    const before = new Set((input.identity.verifiableAddresses ?? []).map((a) => a.id));
    const ctx: SettingsContext = {
      client: input.client,
      device: input.device,
      session: input.session,
      identity: input.identity,
      privileged: this.isPrivileged(input.session),
      now: this.clock.now(),
      resume: input.resume,
    };
    const turn = { method: NO_METHOD };
    const outcome = await this.attempt(flow, input, ctx, before, turn);
    // Another round (`continue`) or a held change (`refresh_required`) has not ended yet.
    if (outcome.kind === 'updated' || outcome.kind === 'flow') {
      this.metrics.finished('settings', turn.method, outcome.kind === 'updated' ? 'success' : 'failure');
    }
    return outcome;
  }

  /** The strategy loop of one submission; `turn.method` names the strategy that took it. */
  private async attempt(
    flow: SettingsFlowEntity,
    input: SubmitSettings,
    ctx: SettingsContext,
    before: Set<string>,
    turn: { method: string },
  ): Promise<SettingsOutcome> {
    for (const strategy of this.strategies) {
      let result: SettingsResult;
      try {
        result = await countingRefusals(this.metrics, 'settings', strategy.id, () =>
          this.hooks.prePersist('settings', strategy.id, flow, input.session, () =>
            strategy.settings(flow, input.body, ctx),
          ),
        );
      } catch (error) {
        if (!(error instanceof FlowRejectedError)) throw error;
        flow.active = turn.method = strategy.id;
        error.applyTo(flow.ui);
        return { kind: 'flow', flow: await this.saveShown(flow), identity: input.identity };
      }
      if (result.kind === 'not_responsible') continue;
      flow.active = turn.method = strategy.id;
      switch (result.kind) {
        case 'invalid':
          return { kind: 'flow', flow: await this.saveShown(flow), identity: input.identity };
        case 'continue':
          return { kind: 'continue', flow: await this.saveShown(flow), identity: input.identity };
        case 'redirect':
          return { kind: 'redirect', flow: await this.saveShown(flow), redirect: result.redirect };
        case 'privileged_session_required': {
          const error = refreshRequired(
            this.loginUrl({ refresh: 'true', return_to: this.resumeUrl(flow.id) }),
          );
          const held = flow.type === 'browser' ? this.continuity.hold(flow, input.session, input.body) : null;
          await this.saveShown(flow);
          if (!held) throw error;
          return { kind: 'refresh_required', flow, error, held };
        }
        case 'updated':
          return this.updated(flow, input, result, strategy.id, before);
      }
    }
    addUiMessage(flow.ui, SettingsText.noStrategy());
    return { kind: 'flow', flow: await this.saveShown(flow), identity: input.identity };
  }

  /** The body with `method` naming the strategy that takes it, buttons without `method` included. */
  private withMethod(body: Record<string, unknown>): Record<string, unknown> {
    return withSettingsMethod(
      body,
      this.strategies.map((s) => s.id),
    );
  }

  /**
   * A browser back from the refresh login a privileged change asked for: the change it submitted
   * then is applied now, once, if this session holds one, is privileged, and the browser carries
   * the continuity nonce it was given. Null: nothing to apply.
   */
  async resume(
    flow: SettingsFlowEntity,
    input: Omit<SubmitSettings, 'body' | 'client'> & { continuityNonce: string | undefined },
  ): Promise<SettingsOutcome | null> {
    if (flow.type !== 'browser' || !this.isPrivileged(input.session)) return null;
    const body = await this.continuity.take(flow, input.session, input.continuityNonce);
    return body && this.submit(flow, { ...input, client: 'browser', body });
  }

  private async updated(
    flow: SettingsFlowEntity,
    input: SubmitSettings,
    { identity, authenticated }: Extract<SettingsResult, { kind: 'updated' }>,
    method: string,
    addressesBefore: Set<string>,
  ): Promise<SettingsOutcome> {
    const fresh = (identity.verifiableAddresses ?? []).filter(
      (a) => !a.verified && !addressesBefore.has(a.id),
    );
    // The factor is stored already, so the session records it first, on its own. Inside the
    // transaction its row would stay locked while revoke_active_sessions waits for the identity's
    // other sessions, one of which a sign-in revoking the rest may hold while it waits for this
    // one: PostgreSQL would end one of the two with a deadlock.
    if (authenticated) await this.sessions.addAuthenticationMethod(input.session, authenticated);
    const continueWith = await this.db.transaction(async () => {
      const started = fresh.length
        ? await this.verification.start({
            identity,
            addresses: fresh,
            flowType: flow.type,
            csrfTokenHash: flow.csrfTokenHash,
            returnTo: flow.returnTo,
            transientPayload: flow.transientPayload,
          })
        : [];
      const after: AfterSettings = { flow, identity, session: input.session, method, verifications: started };
      await this.hooks.afterSettings(after);
      flow.ui = {
        action: flow.ui.action,
        method: flow.ui.method,
        nodes: [nodeNamed(flow.ui, 'csrf_token')!],
      };
      await this.populate(flow, identity);
      addUiMessage(flow.ui, SettingsText.saved());
      flow.state = 'success';
      flow.updatedAt = this.clock.now();
      await this.flows.update(flow);
      const items = started.map((s): ContinueWith => ({
        action: 'show_verification_ui',
        flow: {
          id: s.flowId,
          verifiable_address: s.address,
          ...(flow.type === 'browser' ? { url: this.factory.uiUrl('verification', s.flowId) } : {}),
        },
      }));
      const first = started[0];
      const verificationUi =
        after.showVerificationUi && first ? this.factory.uiUrl('verification', first.flowId) : undefined;
      return { items, verificationUi };
    });
    return {
      kind: 'updated',
      flow,
      identity,
      continueWith: continueWith.items,
      verificationUi: continueWith.verificationUi,
    };
  }

  /** Stores a flow a method changed outside a submission (the OIDC callback's messages). */
  save(flow: SettingsFlowEntity): Promise<SettingsFlowEntity> {
    return this.saveShown(flow);
  }

  private async saveShown(flow: SettingsFlowEntity): Promise<SettingsFlowEntity> {
    flow.state = 'show_form';
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
    return flow;
  }

  /** A fresh flow for an expired one, for the same identity and browser. */
  private async replace(expired: SettingsFlowEntity, identity: IdentityEntity): Promise<SettingsFlowEntity> {
    const flow = this.factory.successor('settings', expired, new SettingsFlowEntity());
    flow.identityId = expired.identityId;
    flow.state = 'show_form';
    await this.populate(flow, identity);
    addUiMessage(flow.ui, SettingsText.expired(expired.expiresAt, this.clock.now()));
    await this.flows.insert(flow);
    return flow;
  }
}
