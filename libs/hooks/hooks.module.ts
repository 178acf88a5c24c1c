import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { SessionModule } from '../session/index.js';
import { RequireVerifiedAddressHook } from './require-verified-address.hook.js';
import { ShowVerificationUiHook } from './show-verification-ui.hook.js';
import { SessionIssuerHook } from './session-issuer.hook.js';
import { SessionRevokerHook } from './session-revoker.hook.js';

@Module({
  imports: [SessionModule, IdentityModule],
  providers: [SessionIssuerHook, SessionRevokerHook, ShowVerificationUiHook, RequireVerifiedAddressHook],
  exports: [SessionIssuerHook, SessionRevokerHook, ShowVerificationUiHook, RequireVerifiedAddressHook],
})
export class HooksModule {}
