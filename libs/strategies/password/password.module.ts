import { Module } from '@nestjs/common';
import { HashModule } from '../../hash/index.js';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { SessionModule } from '../../session/index.js';
import { ThrottleModule } from '../../throttle/index.js';
import { SecretCheckGuard } from './brute-force.js';
import { PasswordLogin } from './password-login.js';
import { PasswordRegistration } from './password-registration.js';
import { PasswordSettings } from './password-settings.js';
import { PasswordStrategy } from './password.strategy.js';
import { PasswordPolicy } from './policy/index.js';

/** PASSWORD_POLICY_OPTIONS and THROTTLE_OPTIONS come from the application. */
@Module({
  imports: [IdentityModule, SchemaModule, HashModule, ThrottleModule, SessionModule],
  providers: [
    PasswordPolicy,
    SecretCheckGuard,
    PasswordLogin,
    PasswordRegistration,
    PasswordSettings,
    PasswordStrategy,
  ],
  exports: [PasswordStrategy, SecretCheckGuard],
})
export class PasswordStrategyModule {}
