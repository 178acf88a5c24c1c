import { Module } from '@nestjs/common';
import { SessionModule } from '../session/index.js';
import { SessionIssuerHook } from './session-issuer.hook.js';
import { SessionRevokerHook } from './session-revoker.hook.js';

@Module({
  imports: [SessionModule],
  providers: [SessionIssuerHook, SessionRevokerHook],
  exports: [SessionIssuerHook, SessionRevokerHook],
})
export class HooksModule {}
