import { Inject, Optional } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { IdentityService } from '../../identity/index.js';
import { Clock, Database } from '../../persistence/index.js';
import { normalizeIdentifier } from '../../schema/index.js';
import { type DeviceInfo } from '../../session/index.js';
import { CodeText, Text, type UiText } from '../../text/index.js';
import {
  addNodeMessage,
  addUiMessage,
  clearMessages,
  countingRefusals,
  FlowFactory,
  FlowMetrics,
  FlowRepository,
  HookRunner,
  type NewFlow,
  NO_FLOW_METRICS,
  ReturnToPolicy,
  type SelfServiceFlow,
  transientPayloadOf,
} from '../core/index.js';
import { AddressRepository } from './address.repository.js';
import { CodeMailer } from './code-mailer.js';
import { type AddressMethod, chooseMethodNodes, codeSentNodes, linkSentNodes } from './code-nodes.js';
import { type OneTimeCodeEntity } from './one-time-code.entity.js';
import { OneTimeCodes } from './one-time-codes.js';
import { addressProblem } from './address-input.js';
import { SendFloor } from './send-floor.js';
import { CodeLimits } from './send-limits.js';

export type CodeFlowKind = 'recovery' | 'verification';

/** A recovery or verification flow: both count failed code submissions. */
export type CodeFlowEntity = SelfServiceFlow & { submitCount: number };

export interface CodeSubmission {
  body: Record<string, unknown>;
  /** The `token` of a followed link. */
  token?: string;
  device: DeviceInfo;
}

/** What a submission leads to in every code flow; each flow may add its own completion. */
export type CodeFlowOutcome<F> =
  | { kind: 'flow'; flow: F; status: 200 | 400 }
  | { kind: 'expired'; flow: F; replacement: F }
  | { kind: 'replaced'; flow: F; replacement: F };

export function isCodeFlowOutcome<F, D>(outcome: CodeFlowOutcome<F> | D): outcome is CodeFlowOutcome<F> {
  const kind = (outcome as { kind: string }).kind;
  return kind === 'flow' || kind === 'expired' || kind === 'replaced';
}

const stringField = (body: Record<string, unknown>, name: string) =>
  typeof body[name] === 'string' ? (body[name] as string) : undefined;

/** The flow's messages, named after it in CodeText (`recoveryCodeSent`, `verificationCodeSent`, …). */
function textsOf(kind: CodeFlowKind) {
  return {
    codeLabel: kind === 'recovery' ? CodeText.labelRecoveryCode : CodeText.labelVerificationCode,
    noStrategy: CodeText[`${kind}NoStrategy`],
    codeSent: CodeText[`${kind}CodeSent`],
    linkSent: CodeText[`${kind}LinkSent`],
    codeInvalid: CodeText[`${kind}CodeInvalid`],
    tokenInvalid: CodeText[`${kind}TokenInvalid`],
    expired: CodeText[`${kind}Expired`],
    retrySuccess: CodeText[`${kind}RetrySuccess`],
  };
}

/**
 * The state machine recovery and verification share: choose_method → sent_email →
 * passed_challenge, with expiry and replacement, sending a code or link to an address, and at
 * most `max_submissions` (5) code submissions per flow (then its codes are spent). A flow adds
 * where its addresses live, what its messages carry and what a valid code or link completes.
 */
export abstract class CodeFlowService<
  F extends CodeFlowEntity,
  D = never,
  I extends CodeSubmission = CodeSubmission,
> {
  // Property injection keeps the subclasses' constructors to what only they need.
  @Inject(Database) protected readonly db!: Database;
  @Inject(FlowFactory) protected readonly factory!: FlowFactory;
  @Inject(ReturnToPolicy) protected readonly returnTo!: ReturnToPolicy;
  @Inject(ConfigService) protected readonly config!: ConfigService;
  @Inject(Clock) protected readonly clock!: Clock;
  @Inject(OneTimeCodes) protected readonly codes!: OneTimeCodes;
  @Inject(AddressRepository) protected readonly addresses!: AddressRepository;
  @Inject(IdentityService) protected readonly identities!: IdentityService;
  @Inject(CodeMailer) protected readonly mailer!: CodeMailer;
  @Inject(CodeLimits) private readonly limits!: CodeLimits;
  @Inject(SendFloor) private readonly floor!: SendFloor;
  @Inject(HookRunner) protected readonly hooks!: HookRunner;
  @Optional() @Inject(FlowMetrics) private readonly flowMetrics?: FlowMetrics;
  private repository?: FlowRepository<F>;
  private readonly text: ReturnType<typeof textsOf>;

  protected constructor(
    readonly kind: CodeFlowKind,
    private readonly entity: new () => F,
  ) {
    this.text = textsOf(kind);
  }

  get flows(): FlowRepository<F> {
    return (this.repository ??= new FlowRepository(this.db, this.entity));
  }

  /** Redemptions of a code or link are what a recovery or verification flow counts as its outcome. */
  private get metrics(): FlowMetrics {
    return this.flowMetrics ?? NO_FLOW_METRICS;
  }

  get enabled(): boolean {
    return this.config.get<boolean>(`selfservice.flows.${this.kind}.enabled`) === true;
  }

  get method(): AddressMethod {
    return this.config.get<string>(`selfservice.flows.${this.kind}.use`) === 'link' ? 'link' : 'code';
  }

  assertEnabled(): void {
    if (!this.enabled) {
      const title = this.kind[0]!.toUpperCase() + this.kind.slice(1);
      throw new ApiError(400, {
        id: 'self_service_flow_disabled',
        reason: `${title} is not allowed because it was disabled.`,
        message: 'self-service flow disabled',
      });
    }
  }

  /** A flow in state choose_method, not yet saved. */
  build(input: Omit<NewFlow, 'returnTo'> & { returnTo?: string | null }, lifespanMs?: number): F {
    const returnTo = this.returnTo.validate(input.returnTo ?? undefined);
    const flow = this.factory.fill(new this.entity(), this.kind, { ...input, returnTo });
    if (lifespanMs !== undefined) flow.expiresAt = new Date(flow.issuedAt.getTime() + lifespanMs);
    flow.submitCount = 0;
    this.chooseMethod(flow);
    return flow;
  }

  /** `skipSettings`: recovery's `skip_settings`, honoured only with a (checked) `return_to`. */
  async create(input: Omit<NewFlow, 'returnTo'> & { returnTo?: string; skipSettings?: boolean }): Promise<F> {
    this.assertEnabled();
    const { skipSettings, ...fields } = input;
    const flow = this.build(fields);
    if (skipSettings && flow.returnTo)
      flow.internalContext = { ...flow.internalContext, skip_settings: true };
    await this.hooks.before(this.kind, flow);
    await this.flows.insert(flow);
    return flow;
  }

  async get(id: string): Promise<F> {
    const flow = await this.flows.findById(id);
    if (!flow)
      throw new ApiError(404, {
        reason: `The ${this.kind} flow could not be found. Please restart the flow.`,
      });
    return flow;
  }

  uiUrl(flowId: string): string {
    return this.factory.uiUrl(this.kind, flowId);
  }

  isExpired(flow: F): boolean {
    return flow.expiresAt <= this.clock.now();
  }

  async submit(flow: F, input: I): Promise<CodeFlowOutcome<F> | D> {
    this.assertEnabled();
    const now = this.clock.now();
    if (this.isExpired(flow)) {
      const replacement = await this.replace(flow, this.text.expired(flow.expiresAt, now));
      return { kind: 'expired', flow, replacement };
    }
    if (flow.state === 'passed_challenge') {
      const replacement = await this.replace(flow, this.text.retrySuccess());
      return { kind: 'replaced', flow, replacement };
    }
    clearMessages(flow.ui);
    flow.transientPayload = transientPayloadOf(input.body) ?? flow.transientPayload;
    const method = this.methodOf(input);
    if (!method) {
      addUiMessage(flow.ui, this.text.noStrategy());
      return this.save(flow, 400);
    }
    flow.active = method;
    if (method === 'link' && input.token) {
      const redeemed = await this.codes.redeem(`${this.kind}_link`, flow.id, input.token);
      return this.redeemed(flow, redeemed, 'link', input);
    }
    const code = stringField(input.body, 'code');
    const email = stringField(input.body, 'email');
    if (method === 'code' && code && !email) {
      return countingRefusals(this.metrics, this.kind, 'code', () => this.redeemCode(flow, code, input));
    }
    if (!email) {
      addUiMessage(flow.ui, Text.missingProperty('email'));
      return this.save(flow, 400);
    }
    const problem = addressProblem(email.trim(), 'email');
    if (problem) {
      addNodeMessage(flow.ui, 'email', problem);
      return this.save(flow, 400);
    }
    // As long for an unknown address as for a known one (SendFloor).
    await this.floor.hold(() => this.db.transaction(() => this.sendTo(flow, email, input.device.ipAddress)));
    return this.save(flow, 200);
  }

  /** The method a submission uses, if the flow offers it: the body's, or `link` for a followed link. */
  protected methodOf(input: I): AddressMethod | undefined {
    const method = stringField(input.body, 'method') ?? (input.token ? 'link' : undefined);
    return method === this.method ? method : undefined;
  }

  /** Where the flow's addresses live: recovery or verifiable addresses. */
  protected abstract findAddress(value: string): Promise<{ id: string; identityId: string } | null>;

  /** The template fields of the message that carries `secret`. */
  protected abstract messageFields(flow: F, secret: string): Record<string, unknown>;

  /** What a message to a known address leaves behind besides the message. */
  protected async messageSent(_addressId: string): Promise<void> {}

  /** What a valid code or link completes; null when it no longer counts (its identity is gone). */
  protected abstract complete(
    flow: F,
    redeemed: OneTimeCodeEntity,
    via: AddressMethod,
    input: I,
  ): Promise<CodeFlowOutcome<F> | D | null>;

  /** Sends the code or link; an unknown address gets the same answer and, if so configured, a notice. */
  protected async sendTo(flow: F, rawEmail: string, ip: string | null): Promise<void> {
    const value = normalizeIdentifier(rawEmail.trim(), 'email');
    const method = this.method;
    const address = await this.findAddress(value);
    const allowed = await this.limits.maySend(value, ip);
    flow.state = 'sent_email';
    if (method === 'code') {
      codeSentNodes(flow.ui, this.text.codeLabel(), value);
      addUiMessage(flow.ui, this.text.codeSent());
    } else {
      linkSentNodes(flow.ui, value);
      addUiMessage(flow.ui, this.text.linkSent());
    }
    // Refused by the send limit: nothing is issued, so the code last sent keeps working.
    if (!allowed) return;
    // Unknown addresses get a code row as well, which no one ever receives: the same work either way.
    const secret = await this.codes.issue(
      `${this.kind}_${method}`,
      flow.id,
      { address: value, via: 'email', identityId: address?.identityId ?? null },
      flow.expiresAt,
    );
    const template = `${this.kind}${method === 'code' ? '_code' : ''}` as const;
    if (address) {
      const identity = await this.identities.get(address.identityId);
      const fields = this.messageFields(flow, secret);
      await this.mailer.send({
        template: `${template}_valid`,
        to: value,
        via: 'email',
        flow,
        identity,
        fields,
      });
      await this.messageSent(address.id);
    } else if (
      this.config.get<boolean>(`selfservice.flows.${this.kind}.notify_unknown_recipients`) === true
    ) {
      await this.mailer.send({
        template: `${template}_invalid`,
        to: value,
        via: 'email',
        flow,
        identity: null,
        fields: {},
      });
    }
  }

  /** A code counts against the flow's attempts (`max_submissions`); once used up, its codes are spent. */
  private async redeemCode(flow: F, code: string, input: I): Promise<CodeFlowOutcome<F> | D> {
    const kind = `${this.kind}_code` as const;
    const lifespan = flow.expiresAt.getTime() - flow.issuedAt.getTime();
    const redeemed = await this.limits.tryCode(
      { scope: kind, flowId: flow.id, lifespanMs: lifespan, identifier: flow.id, ip: input.device.ipAddress },
      () => this.codes.redeem(kind, flow.id, code),
      () => this.codes.invalidate(kind, flow.id),
    );
    return this.redeemed(flow, redeemed, 'code', input);
  }

  private async redeemed(
    flow: F,
    redeemed: OneTimeCodeEntity | null,
    via: AddressMethod,
    input: I,
  ): Promise<CodeFlowOutcome<F> | D> {
    const outcome = redeemed ? await this.complete(flow, redeemed, via, input) : null;
    this.metrics.finished(this.kind, via, outcome ? 'success' : 'failure');
    if (outcome) return outcome;
    flow.submitCount += 1;
    addUiMessage(flow.ui, via === 'code' ? this.text.codeInvalid() : this.text.tokenInvalid());
    return this.save(flow, 200);
  }

  /**
   * A flow starting over: the configured method's first form, and `active` naming that method
   * from the start, as Kratos does (Ory Elements reads a recovery or verification flow's state
   * only when `active` is `code` or `link`).
   */
  protected chooseMethod(flow: F): void {
    chooseMethodNodes(flow.ui, this.method);
    flow.active = this.method;
  }

  protected async save(flow: F, status: 200 | 400): Promise<CodeFlowOutcome<F>> {
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
    return { kind: 'flow', flow, status };
  }

  private async replace(old: F, message: UiText): Promise<F> {
    const flow = this.factory.successor(this.kind, old, new this.entity());
    flow.submitCount = 0;
    this.chooseMethod(flow);
    addUiMessage(flow.ui, message);
    await this.flows.insert(flow);
    return flow;
  }
}
