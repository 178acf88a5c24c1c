import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { IdentityService } from '../../identity/index.js';
import { Clock, Database } from '../../persistence/index.js';
import { normalizeIdentifier } from '../../schema/index.js';
import { SessionService } from '../../session/index.js';
import { CodeText, Text } from '../../text/index.js';
import { AddressRepository } from '../codes/address.repository.js';
import { CodeMailer } from '../codes/code-mailer.js';
import {
  type AddressMethod,
  anchorNode,
  chooseMethodNodes,
  codeSentNodes,
  linkSentNodes,
} from '../codes/code-nodes.js';
import { CodeLimits } from '../codes/send-limits.js';
import { OneTimeCodes } from '../codes/one-time-codes.js';
import {
  addUiMessage,
  clearMessages,
  FlowFactory,
  FlowRepository,
  type NewFlow,
  ReturnToPolicy,
  transientPayloadOf,
  VerificationFlowEntity,
} from '../core/index.js';

export interface SubmitVerification {
  body: Record<string, unknown>;
  /** `token` (link) or `code` (the link in a code message) from the query. */
  token?: string;
  code?: string;
  ip: string | null;
}

export type VerificationOutcome =
  | { kind: 'flow'; flow: VerificationFlowEntity; status: 200 | 400 }
  | { kind: 'expired'; flow: VerificationFlowEntity; replacement: VerificationFlowEntity }
  | { kind: 'replaced'; flow: VerificationFlowEntity; replacement: VerificationFlowEntity };

const stringField = (body: Record<string, unknown>, name: string) =>
  typeof body[name] === 'string' ? (body[name] as string) : undefined;

/** The verification state machine: choose_method → sent_email → passed_challenge. */
@Injectable()
export class VerificationFlowService {
  readonly flows: FlowRepository<VerificationFlowEntity>;

  constructor(
    private readonly db: Database,
    private readonly factory: FlowFactory,
    private readonly returnTo: ReturnToPolicy,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly codes: OneTimeCodes,
    private readonly addresses: AddressRepository,
    private readonly identities: IdentityService,
    private readonly mailer: CodeMailer,
    private readonly limits: CodeLimits,
    private readonly sessions: SessionService,
  ) {
    this.flows = new FlowRepository(db, VerificationFlowEntity);
  }

  get enabled(): boolean {
    return this.config.get<boolean>('selfservice.flows.verification.enabled') === true;
  }

  get method(): AddressMethod {
    return this.config.get<string>('selfservice.flows.verification.use') === 'link' ? 'link' : 'code';
  }

  assertEnabled(): void {
    if (!this.enabled) {
      throw new ApiError(400, {
        id: 'self_service_flow_disabled',
        reason: 'Verification is not allowed because it was disabled.',
        message: 'self-service flow disabled',
      });
    }
  }

  /** A flow in state choose_method; not saved. */
  build(input: Omit<NewFlow, 'returnTo'> & { returnTo?: string | null }): VerificationFlowEntity {
    const returnTo = this.returnTo.validate(input.returnTo ?? undefined);
    const flow = this.factory.fill(new VerificationFlowEntity(), 'verification', { ...input, returnTo });
    flow.submitCount = 0;
    chooseMethodNodes(flow.ui, this.method);
    return flow;
  }

  async create(input: Omit<NewFlow, 'returnTo'> & { returnTo?: string }): Promise<VerificationFlowEntity> {
    this.assertEnabled();
    const flow = this.build(input);
    await this.flows.insert(flow);
    return flow;
  }

  async get(id: string): Promise<VerificationFlowEntity> {
    const flow = await this.flows.findById(id);
    if (!flow)
      throw new ApiError(404, {
        reason: 'The verification flow could not be found. Please restart the flow.',
      });
    return flow;
  }

  isExpired(flow: VerificationFlowEntity): boolean {
    return flow.expiresAt <= this.clock.now();
  }

  async submit(flow: VerificationFlowEntity, input: SubmitVerification): Promise<VerificationOutcome> {
    this.assertEnabled();
    const now = this.clock.now();
    if (this.isExpired(flow)) {
      const replacement = await this.replace(flow, CodeText.verificationExpired(flow.expiresAt, now));
      return { kind: 'expired', flow, replacement };
    }
    if (flow.state === 'passed_challenge') {
      return {
        kind: 'replaced',
        flow,
        replacement: await this.replace(flow, CodeText.verificationRetrySuccess()),
      };
    }
    clearMessages(flow.ui);
    flow.transientPayload = transientPayloadOf(input.body) ?? flow.transientPayload;
    const method =
      stringField(input.body, 'method') ?? (input.token ? 'link' : input.code ? 'code' : undefined);
    if (method !== this.method) {
      addUiMessage(flow.ui, CodeText.verificationNoStrategy());
      return this.save(flow, 400);
    }
    flow.active = method;
    if (method === 'link' && input.token) return this.redeemLink(flow, input.token);
    const code = stringField(input.body, 'code') ?? input.code;
    const email = stringField(input.body, 'email');
    if (method === 'code' && code && !email) return this.redeemCode(flow, code, input.ip);
    if (!email) {
      addUiMessage(flow.ui, Text.missingProperty('email'));
      return this.save(flow, 400);
    }
    await this.db.transaction(() => this.sendTo(flow, email, input.ip));
    return this.save(flow, 200);
  }

  /**
   * A verification flow already in state sent_email for an address registration or a profile
   * change added (the `verification` hook). Runs in the caller's transaction.
   */
  async startFor(input: {
    type: 'api' | 'browser';
    returnTo: string | null;
    transientPayload: Record<string, unknown> | null;
    address: string;
  }): Promise<VerificationFlowEntity> {
    const flow = this.factory.fill(new VerificationFlowEntity(), 'verification', {
      type: input.type,
      requestUrl: this.config.url('public', `self-service/verification/${input.type}`),
      returnTo: input.returnTo && this.returnTo.isAllowed(input.returnTo) ? input.returnTo : null,
    });
    flow.submitCount = 0;
    // Started by the server, not by a form this browser loaded: no CSRF token to bind it to.
    flow.internalContext = { skip_csrf: true };
    flow.transientPayload = input.transientPayload;
    chooseMethodNodes(flow.ui, this.method);
    await this.flows.insert(flow);
    await this.sendTo(flow, input.address, null);
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
    return flow;
  }

  /** Sends a code or link for the address (or, for an unknown one, only what the config asks). */
  private async sendTo(flow: VerificationFlowEntity, rawEmail: string, ip: string | null): Promise<void> {
    const value = normalizeIdentifier(rawEmail.trim(), 'email');
    const kind = this.method === 'code' ? 'verification_code' : 'verification_link';
    const address = await this.addresses.findVerifiableAddress('email', value);
    const allowed = await this.limits.maySend(value, ip);
    // Unknown addresses get a code row as well, which no one ever receives: the same work either way.
    const secret = await this.codes.issue(
      kind,
      flow.id,
      { address: value, via: 'email', identityId: address?.identityId ?? null },
      flow.expiresAt,
    );
    flow.state = 'sent_email';
    if (this.method === 'code') {
      codeSentNodes(flow.ui, CodeText.labelVerificationCode(), value);
      addUiMessage(flow.ui, CodeText.verificationCodeSent());
    } else {
      linkSentNodes(flow.ui, value);
      addUiMessage(flow.ui, CodeText.verificationLinkSent());
    }
    if (!allowed) return;
    if (address) {
      const identity = await this.identities.get(address.identityId);
      const url = this.mailer.link(
        'verification',
        flow.id,
        this.method === 'code' ? 'code' : 'token',
        secret,
      );
      await this.mailer.send({
        template: this.method === 'code' ? 'verification_code_valid' : 'verification_valid',
        to: value,
        via: 'email',
        flow,
        identity,
        fields:
          this.method === 'code'
            ? { VerificationCode: secret, VerificationURL: url }
            : { VerificationURL: url },
      });
      await this.addresses.markSent(address.id, this.clock.now());
    } else if (
      this.config.get<boolean>('selfservice.flows.verification.notify_unknown_recipients') === true
    ) {
      await this.mailer.send({
        template: this.method === 'code' ? 'verification_code_invalid' : 'verification_invalid',
        to: value,
        via: 'email',
        flow,
        identity: null,
        fields: {},
      });
    }
  }

  private async redeemCode(
    flow: VerificationFlowEntity,
    code: string,
    ip: string | null,
  ): Promise<VerificationOutcome> {
    const lifespan = this.config.duration('selfservice.flows.verification.lifespan', '1h');
    const allowed = await this.limits.mayTryCode('verification_code', flow.id, lifespan, ip);
    const redeemed = allowed ? await this.codes.redeem('verification_code', flow.id, code) : null;
    if (!allowed) await this.codes.invalidate('verification_code', flow.id);
    return this.verified(flow, redeemed, CodeText.verificationCodeInvalid());
  }

  private async redeemLink(flow: VerificationFlowEntity, token: string): Promise<VerificationOutcome> {
    const redeemed = await this.codes.redeem('verification_link', flow.id, token);
    return this.verified(flow, redeemed, CodeText.verificationTokenInvalid());
  }

  private async verified(
    flow: VerificationFlowEntity,
    redeemed: Awaited<ReturnType<OneTimeCodes['redeem']>>,
    invalid: ReturnType<typeof CodeText.verificationCodeInvalid>,
  ): Promise<VerificationOutcome> {
    const now = this.clock.now();
    const changed =
      redeemed?.identityId && redeemed.address
        ? await this.db.transaction(() =>
            this.addresses.markVerified(
              redeemed.via ?? 'email',
              redeemed.address!,
              redeemed.identityId!,
              now,
            ),
          )
        : 0;
    if (changed === 0) {
      flow.submitCount += 1;
      addUiMessage(flow.ui, invalid);
      return this.save(flow, 200);
    }
    this.sessions.forgetIdentity(redeemed!.identityId!);
    const target = this.returnUrl(flow);
    flow.state = 'passed_challenge';
    flow.ui = {
      action: target,
      method: 'GET',
      nodes: [
        anchorNode(flow.active === 'link' ? 'link' : 'code', 'continue', target, CodeText.labelContinue()),
      ],
    };
    addUiMessage(flow.ui, CodeText.verificationSuccessful());
    return this.save(flow, 200);
  }

  private returnUrl(flow: VerificationFlowEntity): string {
    if (flow.returnTo && this.returnTo.isAllowed(flow.returnTo))
      return new URL(flow.returnTo, this.returnTo.defaultReturnUrl()).href;
    return (
      this.config.get<string>('selfservice.flows.verification.after.default_browser_return_url') ||
      this.returnTo.defaultReturnUrl()
    );
  }

  /** A GET of the emailed link with `code`: the code is written into the form for the user to submit. */
  async prefill(flow: VerificationFlowEntity, code: string): Promise<VerificationFlowEntity> {
    const node = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'code');
    if (node) (node.attributes as Record<string, unknown>)['value'] = code;
    await this.save(flow, 200);
    return flow;
  }

  private async save(flow: VerificationFlowEntity, status: 200 | 400): Promise<VerificationOutcome> {
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
    return { kind: 'flow', flow, status };
  }

  private async replace(
    old: VerificationFlowEntity,
    message: ReturnType<typeof CodeText.verificationExpired>,
  ) {
    const flow = this.factory.successor('verification', old, new VerificationFlowEntity());
    flow.submitCount = 0;
    chooseMethodNodes(flow.ui, this.method);
    addUiMessage(flow.ui, message);
    await this.flows.insert(flow);
    return flow;
  }
}
