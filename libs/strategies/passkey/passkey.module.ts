import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { WebAuthnStrategyModule } from '../webauthn/index.js';
import { PasskeyLogin } from './passkey-login.js';
import { PasskeyRegistration } from './passkey-registration.js';
import { PasskeySettings } from './passkey-settings.js';
import { PasskeyStrategy } from './passkey.strategy.js';

@Module({
  imports: [IdentityModule, SchemaModule, WebAuthnStrategyModule],
  providers: [PasskeyLogin, PasskeyRegistration, PasskeySettings, PasskeyStrategy],
  exports: [PasskeyStrategy],
})
export class PasskeyStrategyModule {}
