import { Module } from '@nestjs/common';
import { HashModule } from '../../hash/index.js';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { PasswordStrategyModule } from '../password/index.js';
import { StepUp } from '../second-factor.js';
import { TotpLogin } from './totp-login.js';
import { TotpSettings } from './totp-settings.js';
import { TotpStrategy } from './totp.strategy.js';

@Module({
  imports: [IdentityModule, SchemaModule, HashModule, PasswordStrategyModule],
  providers: [StepUp, TotpLogin, TotpSettings, TotpStrategy],
  exports: [TotpStrategy],
})
export class TotpStrategyModule {}
