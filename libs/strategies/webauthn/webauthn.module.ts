import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/index.js';
import { SchemaModule } from '../../schema/index.js';
import { CeremonyStore } from './ceremony-store.js';
import { KeyStore } from './key-store.js';
import { WebAuthnLogin } from './webauthn-login.js';
import { WebAuthnScriptController } from './webauthn-script.controller.js';
import { WebAuthnSettings } from './webauthn-settings.js';
import { WebAuthnStrategy } from './webauthn.strategy.js';

/** Security keys, the shared key store (passkeys use it too) and `/.well-known/ory/webauthn.js`. */
@Module({
  imports: [IdentityModule, SchemaModule],
  controllers: [WebAuthnScriptController],
  providers: [CeremonyStore, KeyStore, WebAuthnLogin, WebAuthnSettings, WebAuthnStrategy],
  exports: [CeremonyStore, KeyStore, WebAuthnStrategy],
})
export class WebAuthnStrategyModule {}
