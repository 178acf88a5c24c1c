import { Injectable } from '@nestjs/common';
import { SessionService } from '../../session/index.js';
import { CodeText } from '../../text/index.js';
import { stillHeld } from '../codes/code-address.js';
import { type CodeFlowOutcome, CodeFlowService } from '../codes/code-flow.service.js';
import { anchorNode } from '../codes/code-nodes.js';
import { type OneTimeCodeEntity } from '../codes/one-time-code.entity.js';
import { addUiMessage, VerificationFlowEntity } from '../core/index.js';

export type VerificationOutcome = CodeFlowOutcome<VerificationFlowEntity>;

/** The verification code flow; a valid code or link marks the address verified. */
@Injectable()
export class VerificationFlowService extends CodeFlowService<VerificationFlowEntity> {
  constructor(private readonly sessions: SessionService) {
    super('verification', VerificationFlowEntity);
  }

  /**
   * A verification flow already in state sent_email for an address registration or a profile
   * change added (the `verification` hook). Runs in the caller's transaction.
   */
  async startFor(input: {
    type: 'api' | 'browser';
    /** The browser the registration or settings flow that started this one belongs to. */
    csrfTokenHash: string;
    returnTo: string | null;
    transientPayload: Record<string, unknown> | null;
    address: string;
  }): Promise<VerificationFlowEntity> {
    const flow = this.factory.fill(new VerificationFlowEntity(), 'verification', {
      type: input.type,
      requestUrl: this.config.url('public', `self-service/verification/${input.type}`),
      returnTo: input.returnTo && this.returnTo.isAllowed(input.returnTo) ? input.returnTo : null,
      sameBrowserAs: { csrfTokenHash: input.csrfTokenHash },
    });
    flow.submitCount = 0;
    flow.transientPayload = input.transientPayload;
    this.chooseMethod(flow);
    await this.flows.insert(flow);
    await this.sendTo(flow, input.address, null);
    await this.save(flow, 200);
    return flow;
  }

  /** A GET of the emailed link with `code`: the code is written into the form for the user to submit. */
  async prefill(flow: VerificationFlowEntity, code: string): Promise<VerificationFlowEntity> {
    const node = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'code');
    if (node) (node.attributes as Record<string, unknown>)['value'] = code;
    await this.save(flow, 200);
    return flow;
  }

  protected findAddress(value: string) {
    return this.addresses.findVerifiableAddress('email', value);
  }

  protected messageFields(flow: VerificationFlowEntity, secret: string): Record<string, unknown> {
    const code = this.method === 'code';
    const url = this.mailer.link('verification', flow.id, code ? 'code' : 'token', secret);
    return code ? { VerificationCode: secret, VerificationURL: url } : { VerificationURL: url };
  }

  protected override async messageSent(addressId: string): Promise<void> {
    await this.addresses.markSent(addressId, this.clock.now());
  }

  protected async complete(
    flow: VerificationFlowEntity,
    redeemed: OneTimeCodeEntity,
  ): Promise<VerificationOutcome | null> {
    const { identityId, address } = redeemed;
    if (!identityId || !address) return null;
    const identity = await this.identities.get(identityId).catch(() => null);
    if (!identity || !stillHeld(redeemed, identity.verifiableAddresses ?? [])) return null;
    const now = this.clock.now();
    const changed = await this.db.transaction(() =>
      this.addresses.markVerified(redeemed.via ?? 'email', address, identityId, now),
    );
    if (changed === 0) return null;
    this.sessions.forgetIdentity(identityId);
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
    await this.hooks.afterVerification({ flow, identity: await this.identities.get(identityId) });
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
}
