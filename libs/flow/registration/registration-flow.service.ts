import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { Clock, Database } from '../../persistence/index.js';
import { IdentitySchemaRegistry, type LoadedIdentitySchema, traitNodes } from '../../schema/index.js';
import { type DeviceInfo, type SessionEntity } from '../../session/index.js';
import { Text } from '../../text/index.js';
import {
  addUiMessage,
  type AfterRegistration,
  type BrowserRedirect,
  type ClientKind,
  clearMessages,
  countingRefusals,
  FlowFactory,
  FlowMetrics,
  FlowRejectedError,
  FlowRepository,
  HookRunner,
  type NewFlow,
  NO_FLOW_METRICS,
  NO_METHOD,
  REGISTRATION_STRATEGIES,
  RegistrationFlowEntity,
  type RegistrationScreen,
  type RegistrationStrategy,
  ReturnToPolicy,
  sessionAlreadyAvailable,
  transientPayloadOf,
  type UiNode,
  VerificationSender,
  type VerificationStarted,
} from '../core/index.js';
import { orderRegistrationNodes } from './registration-nodes.js';
import { type IdentityEntity } from '../../identity/index.js';
import type { LoginOutcome } from '../login/login-flow.service.js';

export interface CreateRegistrationFlow extends Omit<NewFlow, 'returnTo' | 'identitySchema'> {
  returnTo?: string;
  identitySchema?: string;
  session: SessionEntity | null;
}

export interface SubmitRegistration {
  client: ClientKind;
  device: DeviceInfo;
  session: SessionEntity | null;
  body: Record<string, unknown>;
  /** The return leg of a redirecting method (the OIDC callback), never from the request body. */
  resume?: Record<string, unknown>;
}

export type RegistrationOutcome =
  | { kind: 'flow'; flow: RegistrationFlowEntity }
  | { kind: 'expired'; flow: RegistrationFlowEntity; replacement: RegistrationFlowEntity }
  | { kind: 'redirect'; flow: RegistrationFlowEntity; redirect: BrowserRedirect }
  /** The strategy went on in a login flow (OIDC: a known subject signs in). */
  | { kind: 'converted'; flow: RegistrationFlowEntity; outcome: LoginOutcome }
  | {
      kind: 'registered';
      flow: RegistrationFlowEntity;
      identity: IdentityEntity;
      session?: SessionEntity;
      token?: string;
      verifications: VerificationStarted[];
      showVerificationUi: boolean;
    };

/**
 * The registration state machine, in Kratos' two styles: `unified` (one form) and `profile_first`
 * (the traits, then the credential methods; the `profile` strategy moves between the screens).
 */
@Injectable()
export class RegistrationFlowService {
  private readonly flows: FlowRepository<RegistrationFlowEntity>;

  constructor(
    private readonly db: Database,
    @Inject(REGISTRATION_STRATEGIES) private readonly strategies: RegistrationStrategy[],
    private readonly factory: FlowFactory,
    private readonly returnTo: ReturnToPolicy,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly hooks: HookRunner,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly verification: VerificationSender,
    @Optional() private readonly metrics: FlowMetrics = NO_FLOW_METRICS,
  ) {
    this.flows = new FlowRepository(db, RegistrationFlowEntity);
  }

  assertEnabled(): void {
    if (this.config.get<boolean>('selfservice.flows.registration.enabled') === false) {
      throw new ApiError(400, {
        id: 'self_service_flow_disabled',
        reason: 'Registration is not allowed because it was disabled.',
        message: 'self-service flow disabled',
      });
    }
  }

  async create(input: CreateRegistrationFlow): Promise<RegistrationFlowEntity> {
    this.assertEnabled();
    const returnTo = this.returnTo.validate(input.returnTo);
    if (input.session) throw sessionAlreadyAvailable();
    if (input.identitySchema && !this.schemas.isSelectable(input.identitySchema)) {
      throw new ApiError(400, {
        reason: `The identity schema "${input.identitySchema}" cannot be used for self-service.`,
      });
    }
    const flow = this.factory.fill(new RegistrationFlowEntity(), 'registration', { ...input, returnTo });
    this.populate(flow, this.firstScreen());
    await this.hooks.before('registration', flow);
    await this.flows.insert(flow);
    return flow;
  }

  /** The identity schema a flow registers with. */
  schemaOf(flow: RegistrationFlowEntity): LoadedIdentitySchema {
    return flow.identitySchema ? this.schemas.get(flow.identitySchema) : this.schemas.getDefault();
  }

  /** The first screen of the configured style: the one-step form, or `profile_first`'s traits. */
  private firstScreen(): RegistrationScreen {
    return this.config.registrationStyle === 'profile_first' ? 'profile' : 'unified';
  }

  /** Lays the form out anew for a screen: the CSRF node stays, traits (with values) and methods follow. */
  private populate(
    flow: RegistrationFlowEntity,
    screen: RegistrationScreen,
    traits?: Record<string, unknown>,
  ): void {
    const schema = this.schemaOf(flow);
    const csrf = flow.ui.nodes.filter((n) => n.attributes['name'] === 'csrf_token');
    flow.ui.nodes = [...csrf, ...(traitNodes(schema, traits, 'default') as unknown as UiNode[])];
    for (const strategy of this.strategies) strategy.populateRegistration(flow, screen, traits);
    flow.ui.nodes = orderRegistrationNodes(flow.ui.nodes);
  }

  async get(id: string): Promise<RegistrationFlowEntity> {
    const flow = await this.flows.findById(id);
    if (!flow)
      throw new ApiError(404, {
        reason: 'The registration flow could not be found. Please restart the flow.',
      });
    return flow;
  }

  /** Stores a flow a method changed outside a submission (the OIDC callback's messages). */
  async save(flow: RegistrationFlowEntity): Promise<void> {
    await this.flows.update(flow);
  }

  isExpired(flow: RegistrationFlowEntity): boolean {
    return flow.expiresAt <= this.clock.now();
  }

  async submit(flow: RegistrationFlowEntity, input: SubmitRegistration): Promise<RegistrationOutcome> {
    this.assertEnabled();
    if (this.isExpired(flow)) return { kind: 'expired', flow, replacement: await this.replace(flow) };
    if (input.session) throw sessionAlreadyAvailable();
    clearMessages(flow.ui);
    flow.transientPayload = null;
    flow.transientPayload = transientPayloadOf(input.body);
    const turn = { method: NO_METHOD };
    const outcome = await this.attempt(flow, input, turn);
    if (outcome.kind !== 'expired' && outcome.kind !== 'converted') {
      this.metrics.finished(
        'registration',
        turn.method,
        outcome.kind === 'registered' ? 'success' : 'failure',
      );
    }
    return outcome;
  }

  /** The strategy loop of one submission; `turn.method` names the strategy that took it. */
  private async attempt(
    flow: RegistrationFlowEntity,
    input: SubmitRegistration,
    turn: { method: string },
  ): Promise<RegistrationOutcome> {
    const ctx = {
      client: input.client,
      device: input.device,
      session: input.session,
      now: this.clock.now(),
      resume: input.resume,
    };
    for (const strategy of this.strategies) {
      let result;
      try {
        result = await countingRefusals(this.metrics, 'registration', strategy.id, () =>
          this.hooks.prePersist('registration', strategy.id, flow, null, () =>
            strategy.register(flow, input.body, ctx),
          ),
        );
      } catch (error) {
        if (!(error instanceof FlowRejectedError)) throw error;
        flow.active = turn.method = strategy.id;
        error.applyTo(flow.ui);
        return this.rejected(flow);
      }
      if (result.kind === 'not_responsible') continue;
      flow.active = turn.method = strategy.id;
      if (result.kind === 'invalid') return this.rejected(flow);
      if (result.kind === 'screen') return this.showScreen(flow, result.screen, result.traits);
      if (result.kind === 'redirect') {
        flow.updatedAt = this.clock.now();
        await this.flows.update(flow);
        return { kind: 'redirect', flow, redirect: result.redirect };
      }
      if (result.kind === 'converted') return { kind: 'converted', flow, outcome: result.outcome };
      flow.state = 'passed_challenge';
      flow.updatedAt = this.clock.now();
      const after: AfterRegistration = {
        flow,
        identity: result.identity,
        method: result.method,
        ...(result.provider ? { provider: result.provider } : {}),
        device: input.device,
        verifications: [],
      };
      await this.db.transaction(async () => {
        await this.flows.update(flow);
        after.verifications = await this.verification.start({
          identity: result.identity,
          addresses: (result.identity.verifiableAddresses ?? []).filter((a) => !a.verified),
          flowType: flow.type,
          csrfTokenHash: flow.csrfTokenHash,
          returnTo: flow.returnTo,
          transientPayload: flow.transientPayload,
        });
        await this.hooks.afterRegistration(after);
      });
      return {
        kind: 'registered',
        flow,
        identity: result.identity,
        ...after.issued,
        verifications: after.verifications,
        showVerificationUi: after.showVerificationUi === true,
      };
    }
    addUiMessage(flow.ui, Text.noRegistrationStrategy());
    return this.rejected(flow);
  }

  /**
   * `profile_first` moves between its screens (Kratos' showCredentialsSelection and
   * returnToProfileForm): no method is active, the state is `choose_method` again (a code already
   * sent is left behind), and the flow goes back to the client as a form.
   */
  private async showScreen(
    flow: RegistrationFlowEntity,
    screen: 'profile' | 'credentials',
    traits: Record<string, unknown>,
  ): Promise<RegistrationOutcome> {
    clearMessages(flow.ui);
    flow.active = null;
    flow.state = 'choose_method';
    this.populate(flow, screen, traits);
    return this.rejected(flow);
  }

  private async rejected(flow: RegistrationFlowEntity): Promise<RegistrationOutcome> {
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
    return { kind: 'flow', flow };
  }

  private async replace(expired: RegistrationFlowEntity): Promise<RegistrationFlowEntity> {
    const flow = this.factory.successor('registration', expired, new RegistrationFlowEntity());
    this.populate(flow, this.firstScreen());
    addUiMessage(flow.ui, Text.registrationExpired(expired.expiresAt, this.clock.now()));
    await this.flows.insert(flow);
    return flow;
  }
}
