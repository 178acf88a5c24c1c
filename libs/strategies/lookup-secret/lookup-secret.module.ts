import { Module } from '@nestjs/common';
import { HashModule } from '../../hash/index.js';
import { IdentityModule } from '../../identity/index.js';
import { PasswordStrategyModule } from '../password/index.js';
import { LookupSecretLogin } from './lookup-login.js';
import { LookupSecretSettings } from './lookup-settings.js';
import { LookupSecretStrategy } from './lookup-secret.strategy.js';

@Module({
  imports: [IdentityModule, HashModule, PasswordStrategyModule],
  providers: [LookupSecretLogin, LookupSecretSettings, LookupSecretStrategy],
  exports: [LookupSecretStrategy],
})
export class LookupSecretStrategyModule {}
