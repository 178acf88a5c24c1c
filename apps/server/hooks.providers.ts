import { Global, Module } from '@nestjs/common';
import { FLOW_HOOKS, type FlowHook } from '../../libs/flow/index.js';
import {
  HooksModule,
  RequireVerifiedAddressHook,
  SessionIssuerHook,
  SessionRevokerHook,
  ShowVerificationUiHook,
} from '../../libs/hooks/index.js';

/** The after-hooks a configuration may name; a new hook is added here. */
@Global()
@Module({
  imports: [HooksModule],
  providers: [
    {
      provide: FLOW_HOOKS,
      inject: [SessionIssuerHook, SessionRevokerHook, ShowVerificationUiHook, RequireVerifiedAddressHook],
      useFactory: (...hooks: FlowHook[]) => hooks,
    },
  ],
  exports: [FLOW_HOOKS],
})
export class HooksProvidersModule {}
