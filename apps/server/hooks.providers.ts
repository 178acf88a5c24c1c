import { Global, Module } from '@nestjs/common';
import { FLOW_HOOKS, type FlowHook, WEB_HOOK_CALLER } from '../../libs/flow/index.js';
import {
  BackgroundWebHooks,
  HooksModule,
  RequireVerifiedAddressHook,
  SessionIssuerHook,
  SessionRevokerHook,
  ShowVerificationUiHook,
  WebHookService,
} from '../../libs/hooks/index.js';
import { WebHookOutbox } from '../../libs/web-hook-outbox/index.js';

/** The hooks a configuration may name, and the `web_hook` action; a new hook is added here. */
@Global()
@Module({
  imports: [HooksModule],
  providers: [
    {
      provide: FLOW_HOOKS,
      inject: [SessionIssuerHook, SessionRevokerHook, ShowVerificationUiHook, RequireVerifiedAddressHook],
      useFactory: (...hooks: FlowHook[]) => hooks,
    },
    { provide: WEB_HOOK_CALLER, useExisting: WebHookService },
    // `response.ignore` calls are written in the flow's transaction and delivered from the queue.
    { provide: BackgroundWebHooks, useExisting: WebHookOutbox },
  ],
  exports: [FLOW_HOOKS, WEB_HOOK_CALLER, BackgroundWebHooks],
})
export class HooksProvidersModule {}
