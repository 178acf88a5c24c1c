import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/index.js';
import { SchemaModule } from '../schema/index.js';
import { SessionModule } from '../session/index.js';
import { RequireVerifiedAddressHook } from './require-verified-address.hook.js';
import { ShowVerificationUiHook } from './show-verification-ui.hook.js';
import { SessionIssuerHook } from './session-issuer.hook.js';
import { SessionRevokerHook } from './session-revoker.hook.js';
import { BackgroundWebHooks } from './web-hook/background-web-hooks.js';
import { InProcessBackgroundWebHooks } from './web-hook/in-process-web-hooks.js';
import { WebHookService } from './web-hook/web-hook.caller.js';

const HOOKS = [SessionIssuerHook, SessionRevokerHook, ShowVerificationUiHook, RequireVerifiedAddressHook];

@Module({
  imports: [SessionModule, IdentityModule, SchemaModule],
  providers: [
    ...HOOKS,
    WebHookService,
    InProcessBackgroundWebHooks,
    // The default delivery of `response.ignore` hooks; a durable outbox replaces it here.
    { provide: BackgroundWebHooks, useExisting: InProcessBackgroundWebHooks },
  ],
  exports: [...HOOKS, WebHookService, BackgroundWebHooks, InProcessBackgroundWebHooks],
})
export class HooksModule {}
