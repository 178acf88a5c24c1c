import { Injectable } from '@nestjs/common';
import {
  type AddressesToVerify,
  VerificationSender,
  type VerificationStarted,
} from '../core/verification-sender.js';
import { VerificationFlowService } from './verification-flow.service.js';

/**
 * The `verification` hook Kratos adds implicitly when verification is enabled: one verification
 * flow per new unverified address, its code or link sent, the address marked `sent`.
 */
@Injectable()
export class CodeVerificationSender extends VerificationSender {
  constructor(private readonly verification: VerificationFlowService) {
    super();
  }

  async start(input: AddressesToVerify): Promise<VerificationStarted[]> {
    if (!this.verification.enabled) return [];
    const started: VerificationStarted[] = [];
    for (const address of input.addresses) {
      if (address.verified || address.via !== 'email') continue;
      const flow = await this.verification.startFor({
        type: input.flowType,
        csrfTokenHash: input.csrfTokenHash,
        returnTo: input.returnTo,
        transientPayload: input.transientPayload,
        address: address.value,
      });
      started.push({ flowId: flow.id, address: address.value, via: address.via });
    }
    return started;
  }
}
