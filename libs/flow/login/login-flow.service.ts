import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApiError } from '../../errors/index.js';
import { ConfigService } from '../../config/index.js';
import { IdentityService } from '../../identity/index.js';
import { Clock, Database, isForeignKeyViolation } from '../../persistence/index.js';
import {
  type DeviceInfo,
  IdentityDisabledError,
  type SessionEntity,
  SessionService,
} from '../../session/index.js';
import { Text } from '../../text/index.js';
import type { RegistrationOutcome } from '../registration/registration-flow.service.js';
import {
  addUiMessage,
  type BrowserRedirect,
  type ClientKind,
  clearMessages,
  countingRefusals,
  CREDENTIAL_LINKER,
  type CredentialLinker,
  FlowFactory,
  FlowMetrics,
  FlowRejectedError,
  FlowRepository,
  HookRunner,
  LOGIN_STRATEGIES,
  LoginFlowEntity,
  type LoginStrategy,
  type NewFlow,
  NO_FLOW_METRICS,
  NO_METHOD,
  ReturnToPolicy,
  sessionAlreadyAvailable,
  transientPayloadOf,
} from '../core/index.js';
import { asksIdentifierFirst, offerMethods } from './identifier-first-step.js';

export interface CreateLoginFlow extends Omit<NewFlow, 'returnTo'> {
  returnTo?: string;
  refresh: boolean;
  aal: 'aal1' | 'aal2';
  session: SessionEntity | null;
  /** A flow holding an OIDC credential to link: always the one-step form, as in Kratos. */
  accountLinking?: boolean;
}

export interface SubmitLogin {
  client: ClientKind;
  device: DeviceInfo;
  session: SessionEntity | null;
  /** The token the request presented its session with (re-authentication keeps it). */
  token?: string;
  body: Record<string, unknown>;
  /** The return leg of a redirecting method (the OIDC callback), never from the request body. */
  resume?: Record<string, unknown>;
}

export type LoginOutcome =
  | { kind: 'flow'; flow: LoginFlowEntity }
  | { kind: 'expired'; flow: LoginFlowEntity; replacement: LoginFlowEntity }
  | { kind: 'already_signed_in'; flow: LoginFlowEntity }
  | { kind: 'redirect'; flow: LoginFlowEntity; redirect: BrowserRedirect }
  /** The strategy went on in a registration flow (OIDC: an unknown subject signs up). */
  | { kind: 'converted'; flow: LoginFlowEntity; outcome: RegistrationOutcome }
  | {
      kind: 'signed_in';
      flow: LoginFlowEntity;
      session: SessionEntity;
      token?: string;
      /**
       * Signed in with a first factor, but whoami will want aal2 (`session.whoami.required_aal:
       * highest_available` and the identity has a second factor): the client goes on to an aal2 login.
       */
      secondFactorRequired?: boolean;
    };

/** The login state machine: create, expire, pick a strategy, issue or refresh the session. */
@Injectable()
export class LoginFlowService {
  private readonly flows: FlowRepository<LoginFlowEntity>;

  constructor(
    private readonly db: Database,
    @Inject(LOGIN_STRATEGIES) private readonly strategies: LoginStrategy[],
    private readonly factory: FlowFactory,
    private readonly returnTo: ReturnToPolicy,
    private readonly sessions: SessionService,
    private readonly hooks: HookRunner,
    private readonly clock: Clock,
    private readonly identities: IdentityService,
    private readonly config: ConfigService,
    @Optional() private readonly metrics: FlowMetrics = NO_FLOW_METRICS,
    @Optional() @Inject(CREDENTIAL_LINKER) private readonly linker?: CredentialLinker,
  ) {
    this.flows = new FlowRepository(db, LoginFlowEntity);
  }

  async create(input: CreateLoginFlow): Promise<LoginFlowEntity> {
    const returnTo = this.returnTo.validate(input.returnTo);
    const upgrading = input.aal === 'aal2' && input.session?.aal !== 'aal2';
    if (input.aal === 'aal2' && !input.session) {
      throw new ApiError(401, {
        id: 'session_aal1_required',
        reason: 'You can not requested a higher AAL (AAL2/AAL3) without an active session.',
        message: 'aal2 and aal3 can only be requested if a session exists already',
      });
    }
    if (input.session && !input.refresh && !upgrading) throw sessionAlreadyAvailable();
    const flow = this.factory.fill(new LoginFlowEntity(), 'login', { ...input, returnTo });
    flow.refresh = input.refresh;
    flow.requestedAal = input.aal;
    await this.populate(flow, input.refresh || upgrading ? input.session : null, input.accountLinking);
    if (input.refresh && input.session) addUiMessage(flow.ui, Text.loginReauth());
    else if (upgrading) addUiMessage(flow.ui, Text.loginMfa());
    await this.hooks.before('login', flow);
    await this.flows.insert(flow);
    return flow;
  }

  private async populate(
    flow: LoginFlowEntity,
    session: SessionEntity | null,
    accountLinking = false,
  ): Promise<void> {
    const style = this.config.get<string>('selfservice.flows.login.style');
    // Refreshing or stepping up, the identifier is known: no identifier step (Kratos).
    if (!accountLinking && asksIdentifierFirst(style, flow, Boolean(flow.refresh && session))) {
      for (const strategy of this.strategies) await strategy.populateIdentification?.(flow);
      return;
    }
    const identity = session ? await this.identities.get(session.identityId) : null;
    for (const strategy of this.strategies) await strategy.populateLogin(flow, { session, identity });
  }

  async get(id: string): Promise<LoginFlowEntity> {
    const flow = await this.flows.findById(id);
    if (!flow)
      throw new ApiError(404, { reason: 'The login flow could not be found. Please restart the flow.' });
    return flow;
  }

  /** Stores a flow a method changed outside a submission (the OIDC callback's messages). */
  async save(flow: LoginFlowEntity): Promise<void> {
    await this.flows.update(flow);
  }

  isExpired(flow: LoginFlowEntity): boolean {
    return flow.expiresAt <= this.clock.now();
  }

  async submit(flow: LoginFlowEntity, input: SubmitLogin): Promise<LoginOutcome> {
    if (this.isExpired(flow))
      return { kind: 'expired', flow, replacement: await this.replace(flow, input.session) };
    const signedIn = input.session && !flow.refresh && flow.requestedAal !== 'aal2';
    if (signedIn) {
      clearMessages(flow.ui);
      addUiMessage(flow.ui, Text.reason(sessionAlreadyAvailable().message));
      return { kind: 'already_signed_in', flow };
    }
    clearMessages(flow.ui);
    flow.transientPayload = null;
    flow.transientPayload = transientPayloadOf(input.body);
    const turn = { method: NO_METHOD, step: false };
    const outcome = await this.attempt(flow, input, turn);
    // Step one of identifier_first neither signs in nor fails.
    if ((outcome.kind === 'signed_in' || outcome.kind === 'flow') && !turn.step) {
      this.metrics.finished('login', turn.method, outcome.kind === 'signed_in' ? 'success' : 'failure');
    }
    return outcome;
  }

  /** The strategy loop of one submission; `turn.method` names the strategy that took it. */
  private async attempt(
    flow: LoginFlowEntity,
    input: SubmitLogin,
    turn: { method: string; step: boolean },
  ): Promise<LoginOutcome> {
    const ctx = {
      client: input.client,
      device: input.device,
      session: input.session,
      now: this.clock.now(),
      resume: input.resume,
    };
    for (const strategy of this.strategies) {
      let result = await countingRefusals(this.metrics, 'login', strategy.id, () =>
        strategy.login(flow, input.body, ctx),
      );
      if (result.kind === 'not_responsible') continue;
      flow.active = turn.method = strategy.id;
      if (result.kind === 'identifier_first') {
        const step = await offerMethods(this.strategies, flow, result.hint, ctx);
        if (step.kind === 'offered') {
          turn.step = true;
          return this.rejected(flow);
        }
        if (step.method) flow.active = turn.method = step.method;
        result = step.result;
      }
      if (result.kind === 'invalid') return this.rejected(flow);
      if (result.kind === 'redirect') {
        flow.updatedAt = this.clock.now();
        await this.flows.update(flow);
        return { kind: 'redirect', flow, redirect: result.redirect };
      }
      if (result.kind === 'converted') return { kind: 'converted', flow, outcome: result.outcome };
      try {
        return await this.signIn(flow, input, result.identity, {
          method: result.method,
          aal: result.aal,
          ...(result.provider ? { provider: result.provider } : {}),
        });
      } catch (error) {
        if (error instanceof FlowRejectedError) {
          error.applyTo(flow.ui);
          return this.rejected(flow);
        }
        if (!(error instanceof IdentityDisabledError)) throw error;
        addUiMessage(flow.ui, Text.identityDisabled());
        return this.rejected(flow);
      }
    }
    addUiMessage(flow.ui, Text.noLoginStrategy());
    return this.rejected(flow);
  }

  private async signIn(
    flow: LoginFlowEntity,
    input: SubmitLogin,
    identity: Parameters<SessionService['issue']>[0],
    auth: Parameters<SessionService['issue']>[1],
  ): Promise<LoginOutcome> {
    const current = input.session;
    if (current && current.identityId === identity.id && (flow.refresh || flow.requestedAal === 'aal2')) {
      const session = await this.sessions.authenticateAgain(current, auth, input.device);
      await this.complete(flow);
      return { kind: 'signed_in', flow, session, token: input.token };
    }
    let issued: Awaited<ReturnType<SessionService['issue']>>;
    try {
      issued = await this.issue(flow, input, identity, auth);
    } catch (error) {
      if (!isForeignKeyViolation(error)) throw error;
      // Deleted while it signed in (an admin's delete committed first): as if it never existed.
      addUiMessage(flow.ui, Text.invalidCredentials());
      return this.rejected(flow);
    }
    const { session, token } = issued;
    const secondFactorRequired =
      session.aal !== 'aal2' &&
      this.config.get<string>('session.whoami.required_aal') !== 'aal1' &&
      this.identities.availableAalOf(identity) === 'aal2';
    return { kind: 'signed_in', flow, session, token, secondFactorRequired };
  }

  /** The new session, and the flow marked passed. */
  private async issue(
    flow: LoginFlowEntity,
    input: SubmitLogin,
    identity: Parameters<SessionService['issue']>[0],
    auth: Parameters<SessionService['issue']>[1],
  ): ReturnType<SessionService['issue']> {
    // Nothing to link, no hook: the session, its device and the flow land as one write.
    if (!this.linker?.holds(flow) && !this.hooks.hasAfterLogin(auth.method)) {
      const passed = { state: 'passed_challenge', updatedAt: this.clock.now() } as const;
      const stored = Object.assign(Object.create(LoginFlowEntity.prototype) as LoginFlowEntity, flow, passed);
      const issued = await this.sessions.issue(identity, auth, input.device, [
        this.flows.updateStatement(stored),
      ]);
      Object.assign(flow, passed);
      return issued;
    }
    // A hook that refuses the login (require_verified_address) rolls the new session back, and
    // with it a credential linked on this flow. A synchronous web hook runs after the commit: if
    // it fails, the session it was told about is revoked before its token was ever answered.
    let issuedId: string | undefined;
    const issued = await this.db
      .transaction(async () => {
        const linked = this.linker ? await this.linker.link(flow, identity) : null;
        if (linked?.kind === 'mismatch') throw new FlowRejectedError(linked.text);
        const issued = await this.sessions.issue(identity, auth, input.device);
        if (linked) await this.sessions.addAuthenticationMethod(issued.session, linked.auth);
        await this.hooks.afterLogin({ flow, session: issued.session, method: auth.method, identity });
        issuedId = issued.session.id;
        return issued;
      })
      .catch(async (error: unknown) => {
        if (issuedId) await this.db.transaction(() => this.sessions.revoke(issuedId!));
        throw error;
      });
    await this.complete(flow);
    return issued;
  }

  private async complete(flow: LoginFlowEntity): Promise<void> {
    flow.state = 'passed_challenge';
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
  }

  private async rejected(flow: LoginFlowEntity): Promise<LoginOutcome> {
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
    return { kind: 'flow', flow };
  }

  /** A fresh flow for an expired one, keeping where the user was going. */
  private async replace(expired: LoginFlowEntity, session: SessionEntity | null): Promise<LoginFlowEntity> {
    const flow = this.factory.successor('login', expired, new LoginFlowEntity());
    flow.refresh = expired.refresh;
    flow.requestedAal = expired.requestedAal;
    // A second-factor flow keeps offering the identity's second factors.
    const upgrading = expired.requestedAal === 'aal2' && session?.aal !== 'aal2' ? session : null;
    await this.populate(flow, upgrading);
    addUiMessage(flow.ui, Text.loginExpired(expired.expiresAt, this.clock.now()));
    await this.flows.insert(flow);
    return flow;
  }
}
