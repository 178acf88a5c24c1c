import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { type IdentityEntity, IdentityService } from '../../identity/index.js';
import { Clock, Database } from '../../persistence/index.js';
import { normalizeIdentifier } from '../../schema/index.js';
import { type DeviceInfo, type SessionEntity, SessionService } from '../../session/index.js';
import { CodeText, Text, type UiText } from '../../text/index.js';
import { AddressRepository } from '../codes/address.repository.js';
import { CodeMailer } from '../codes/code-mailer.js';
import { type AddressMethod, chooseMethodNodes, codeSentNodes, linkSentNodes } from '../codes/code-nodes.js';
import { type OneTimeCodeEntity } from '../codes/one-time-code.entity.js';
import { OneTimeCodes } from '../codes/one-time-codes.js';
import { CodeLimits } from '../codes/send-limits.js';
import {
  addUiMessage,
  clearMessages,
  FlowFactory,
  FlowRepository,
  HookRunner,
  type NewFlow,
  RecoveryFlowEntity,
  ReturnToPolicy,
  type SettingsFlowEntity,
  transientPayloadOf,
} from '../core/index.js';
import { SettingsHandOff } from './settings-hand-off.js';

export interface SubmitRecovery {
  body: Record<string, unknown>;
  token?: string;
  device: DeviceInfo;
  /** The browser's CSRF cookie token, which the settings flow is bound to. */
  csrfToken?: string;
}

export type RecoveryOutcome =
  | { kind: 'flow'; flow: RecoveryFlowEntity; status: 200 | 400 }
  | { kind: 'expired'; flow: RecoveryFlowEntity; replacement: RecoveryFlowEntity }
  | { kind: 'replaced'; flow: RecoveryFlowEntity; replacement: RecoveryFlowEntity }
  | {
      kind: 'recovered';
      flow: RecoveryFlowEntity;
      session: SessionEntity;
      token: string;
      settings: SettingsFlowEntity;
    };

const stringField = (body: Record<string, unknown>, name: string) =>
  typeof body[name] === 'string' ? (body[name] as string) : undefined;

/** The recovery state machine: choose_method → sent_email → passed_challenge (+ session, settings flow). */
@Injectable()
export class RecoveryFlowService {
  readonly flows: FlowRepository<RecoveryFlowEntity>;

  constructor(
    private readonly db: Database,
    private readonly factory: FlowFactory,
    private readonly returnTo: ReturnToPolicy,
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly codes: OneTimeCodes,
    private readonly addresses: AddressRepository,
    private readonly identities: IdentityService,
    private readonly sessions: SessionService,
    private readonly mailer: CodeMailer,
    private readonly limits: CodeLimits,
    private readonly hooks: HookRunner,
    private readonly settings: SettingsHandOff,
  ) {
    this.flows = new FlowRepository(db, RecoveryFlowEntity);
  }

  get method(): AddressMethod {
    return this.config.get<string>('selfservice.flows.recovery.use') === 'link' ? 'link' : 'code';
  }

  assertEnabled(): void {
    if (this.config.get<boolean>('selfservice.flows.recovery.enabled') !== true) {
      throw new ApiError(400, {
        id: 'self_service_flow_disabled',
        reason: 'Recovery is not allowed because it was disabled.',
        message: 'self-service flow disabled',
      });
    }
  }

  /** A flow in state choose_method, not yet saved. */
  build(
    input: Omit<NewFlow, 'returnTo'> & { returnTo?: string | null },
    lifespanMs?: number,
  ): RecoveryFlowEntity {
    const returnTo = this.returnTo.validate(input.returnTo ?? undefined);
    const flow = this.factory.fill(new RecoveryFlowEntity(), 'recovery', { ...input, returnTo });
    if (lifespanMs !== undefined) flow.expiresAt = new Date(flow.issuedAt.getTime() + lifespanMs);
    flow.submitCount = 0;
    chooseMethodNodes(flow.ui, this.method);
    return flow;
  }

  async create(input: Omit<NewFlow, 'returnTo'> & { returnTo?: string }): Promise<RecoveryFlowEntity> {
    this.assertEnabled();
    const flow = this.build(input);
    await this.flows.insert(flow);
    return flow;
  }

  async get(id: string): Promise<RecoveryFlowEntity> {
    const flow = await this.flows.findById(id);
    if (!flow)
      throw new ApiError(404, { reason: 'The recovery flow could not be found. Please restart the flow.' });
    return flow;
  }

  uiUrl(flowId: string): string {
    return this.factory.uiUrl('recovery', flowId);
  }

  isExpired(flow: RecoveryFlowEntity): boolean {
    return flow.expiresAt <= this.clock.now();
  }

  async submit(flow: RecoveryFlowEntity, input: SubmitRecovery): Promise<RecoveryOutcome> {
    this.assertEnabled();
    const now = this.clock.now();
    if (this.isExpired(flow))
      return {
        kind: 'expired',
        flow,
        replacement: await this.replace(flow, CodeText.recoveryExpired(flow.expiresAt, now)),
      };
    if (flow.state === 'passed_challenge')
      return {
        kind: 'replaced',
        flow,
        replacement: await this.replace(flow, CodeText.recoveryRetrySuccess()),
      };
    clearMessages(flow.ui);
    flow.transientPayload = transientPayloadOf(input.body) ?? flow.transientPayload;
    if (input.token) {
      // A link, sent by the link method or created by an admin, whichever method the form offers.
      flow.active = 'link';
      const redeemed = await this.codes.redeem('recovery_link', flow.id, input.token);
      return this.recovered(flow, redeemed, 'link_recovery', input, CodeText.recoveryTokenInvalid());
    }
    const method = stringField(input.body, 'method');
    if (method !== this.method) {
      addUiMessage(flow.ui, CodeText.recoveryNoStrategy());
      return this.save(flow, 400);
    }
    flow.active = method;
    const ip = input.device.ipAddress;
    const code = stringField(input.body, 'code');
    const email = stringField(input.body, 'email');
    if (method === 'code' && code && !email) {
      const lifespan = flow.expiresAt.getTime() - flow.issuedAt.getTime();
      const allowed = await this.limits.mayTryCode('recovery_code', flow.id, lifespan, ip);
      if (!allowed) await this.codes.invalidate('recovery_code', flow.id);
      const redeemed = allowed ? await this.codes.redeem('recovery_code', flow.id, code) : null;
      return this.recovered(flow, redeemed, 'code_recovery', input, CodeText.recoveryCodeInvalid());
    }
    if (!email) {
      addUiMessage(flow.ui, Text.missingProperty('email'));
      return this.save(flow, 400);
    }
    await this.db.transaction(() => this.sendTo(flow, email, ip));
    return this.save(flow, 200);
  }

  /** Sends the code or link; an unknown address gets the same answer and, if so configured, a notice. */
  private async sendTo(flow: RecoveryFlowEntity, rawEmail: string, ip: string | null): Promise<void> {
    const value = normalizeIdentifier(rawEmail.trim(), 'email');
    const kind = this.method === 'code' ? 'recovery_code' : 'recovery_link';
    const address = await this.addresses.findRecoveryAddress('email', value);
    const allowed = await this.limits.maySend(value, ip);
    const secret = await this.codes.issue(
      kind,
      flow.id,
      { address: value, via: 'email', identityId: address?.identityId ?? null },
      flow.expiresAt,
    );
    flow.state = 'sent_email';
    if (this.method === 'code') {
      codeSentNodes(flow.ui, CodeText.labelRecoveryCode(), value);
      addUiMessage(flow.ui, CodeText.recoveryCodeSent());
    } else {
      linkSentNodes(flow.ui, value);
      addUiMessage(flow.ui, CodeText.recoveryLinkSent());
    }
    if (!allowed) return;
    if (address) {
      const identity = await this.identities.get(address.identityId);
      await this.mailer.send({
        template: this.method === 'code' ? 'recovery_code_valid' : 'recovery_valid',
        to: value,
        via: 'email',
        flow,
        identity,
        fields:
          this.method === 'code'
            ? { RecoveryCode: secret }
            : { RecoveryURL: this.mailer.link('recovery', flow.id, 'token', secret) },
      });
    } else if (this.config.get<boolean>('selfservice.flows.recovery.notify_unknown_recipients') === true) {
      await this.mailer.send({
        template: this.method === 'code' ? 'recovery_code_invalid' : 'recovery_invalid',
        to: value,
        via: 'email',
        flow,
        identity: null,
        fields: {},
      });
    }
  }

  private async recovered(
    flow: RecoveryFlowEntity,
    redeemed: OneTimeCodeEntity | null,
    method: 'code_recovery' | 'link_recovery',
    input: SubmitRecovery,
    invalid: UiText,
  ): Promise<RecoveryOutcome> {
    const identity = redeemed?.identityId ? await this.identityOrNull(redeemed.identityId) : null;
    if (!redeemed || !identity || identity.state !== 'active') {
      flow.submitCount += 1;
      addUiMessage(flow.ui, invalid);
      return this.save(flow, 200);
    }
    return this.db.transaction(async () => {
      const now = this.clock.now();
      if (redeemed.address)
        await this.addresses.markVerified(redeemed.via ?? 'email', redeemed.address, identity.id, now);
      const { session, token } = await this.sessions.issue(identity, { method, aal: 'aal1' }, input.device);
      await this.hooks.afterRecovery({ flow, identity, session });
      const settings = await this.settings.createFor({
        type: flow.type,
        requestUrl: flow.requestUrl,
        returnTo: flow.returnTo,
        identity,
        session,
        csrfToken: input.csrfToken,
      });
      flow.state = 'passed_challenge';
      await this.save(flow, 200);
      this.sessions.forgetIdentity(identity.id);
      return { kind: 'recovered', flow, session, token, settings };
    });
  }

  private async identityOrNull(id: string): Promise<IdentityEntity | null> {
    try {
      return await this.identities.get(id);
    } catch {
      return null;
    }
  }

  private async save(
    flow: RecoveryFlowEntity,
    status: 200 | 400,
  ): Promise<{ kind: 'flow'; flow: RecoveryFlowEntity; status: 200 | 400 }> {
    flow.updatedAt = this.clock.now();
    await this.flows.update(flow);
    return { kind: 'flow', flow, status };
  }

  private async replace(old: RecoveryFlowEntity, message: UiText): Promise<RecoveryFlowEntity> {
    const flow = this.factory.successor('recovery', old, new RecoveryFlowEntity());
    flow.submitCount = 0;
    chooseMethodNodes(flow.ui, this.method);
    addUiMessage(flow.ui, message);
    await this.flows.insert(flow);
    return flow;
  }
}
