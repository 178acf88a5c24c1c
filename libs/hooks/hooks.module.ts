import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { SchemaModule } from '../schema/index.js';
import { SessionModule } from '../session/index.js';
import { RequireVerifiedAddressHook } from './require-verified-address.hook.js';
import { ShowVerificationUiHook } from './show-verification-ui.hook.js';
import { SessionIssuerHook } from './session-issuer.hook.js';
import { SessionRevokerHook } from './session-revoker.hook.js';
import { WebHookService } from './web-hook/web-hook.caller.js';

const HOOKS = [SessionIssuerHook, SessionRevokerHook, ShowVerificationUiHook, RequireVerifiedAddressHook];

@Module({
  imports: [SessionModule, IdentityModule, SchemaModule],
  providers: [
    ...HOOKS,
    // Sends `response.ignore` calls through BackgroundWebHooks, which the composition root binds
    // (apps/server: the durable outbox).
    WebHookService,
  ],
  exports: [...HOOKS, WebHookService],
})
export class HooksModule {}
