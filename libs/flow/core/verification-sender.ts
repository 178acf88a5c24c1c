import { type IdentityEntity, type VerifiableAddressEntity } from '../../identity/index.js';
import { type FlowType } from './flow.entity.js';

export interface AddressesToVerify {
  identity: IdentityEntity;
  /** The addresses that are new or changed and not yet verified. */
  addresses: VerifiableAddressEntity[];
  /** The kind of client the originating flow served; the verification flows are of the same type. */
  flowType: FlowType;
  /** The originating flow's browser binding: its verification flows belong to the same browser. */
  csrfTokenHash: string;
  returnTo: string | null;
  transientPayload: Record<string, unknown> | null;
}

/** A verification flow started for one address; becomes a `show_verification_ui` continue_with. */
export interface VerificationStarted {
  flowId: string;
  address: string;
  via: 'email' | 'sms';
}

/**
 * Starts verification for addresses that registration or a profile change added. Runs inside the
 * caller's transaction. Without a verification feature configured it starts nothing.
 */
export abstract class VerificationSender {
  abstract start(input: AddressesToVerify): Promise<VerificationStarted[]>;
}

/** The default until the verification flow provides its own. */
export class NoVerificationSender extends VerificationSender {
  async start(): Promise<VerificationStarted[]> {
    return [];
  }
}
