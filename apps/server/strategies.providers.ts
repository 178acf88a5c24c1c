import { Global, Module } from '@nestjs/common';
import { LOGIN_STRATEGIES, REGISTRATION_STRATEGIES } from '../../libs/flow/index.js';
import { PasswordStrategy, PasswordStrategyModule } from '../../libs/strategies/password/index.js';

/** The ordered strategy lists the flows ask in turn; a new credential type is added here. */
@Global()
@Module({
  imports: [PasswordStrategyModule],
  providers: [
    {
      provide: LOGIN_STRATEGIES,
      inject: [PasswordStrategy],
      useFactory: (password: PasswordStrategy) => [password],
    },
    {
      provide: REGISTRATION_STRATEGIES,
      inject: [PasswordStrategy],
      useFactory: (password: PasswordStrategy) => [password],
    },
  ],
  exports: [LOGIN_STRATEGIES, REGISTRATION_STRATEGIES],
})
export class StrategiesModule {}
