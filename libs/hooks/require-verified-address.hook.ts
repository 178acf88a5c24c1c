import { Injectable } from '@nestjs/common';
import { type AfterLogin, type FlowHook, FlowRejectedError } from '../flow/index.js';
import { IdentityService } from '../identity/index.js';
import { CodeText } from '../text/index.js';

/**
 * `require_verified_address`: a login succeeds only for an identity with at least one verified
 * address; otherwise the login flow answers 400 with message 4000010 and no session is kept
 * (Kratos' behaviour with `legacy_require_verified_login_error`).
 */
@Injectable()
export class RequireVerifiedAddressHook implements FlowHook {
  readonly name = 'require_verified_address';

  constructor(private readonly identities: IdentityService) {}

  async afterLogin(context: AfterLogin): Promise<void> {
    const identity = await this.identities.get(context.session.identityId);
    if (!(identity.verifiableAddresses ?? []).some((address) => address.verified)) {
      throw new FlowRejectedError(CodeText.addressNotVerified());
    }
  }
}
