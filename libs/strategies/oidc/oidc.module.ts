import { Module } from '@nestjs/common';
import { FlowModule } from '../../flow/index.js';
import { IdentityModule } from '../../identity/index.js';
import { JsonnetModule } from '../../jsonnet/index.js';
import { SchemaModule } from '../../schema/index.js';
import { SessionModule } from '../../session/index.js';
import { OidcCallbackController } from './oidc-callback.controller.js';
import { OidcCallback } from './oidc-callback.service.js';
import { OidcConversion } from './oidc-conversion.js';
import { OidcLinking } from './oidc-linking.js';
import { OidcMapper } from './oidc-mapper.js';
import { OidcProviders } from './oidc-providers.js';
import { OidcRegistration } from './oidc-registration.js';
import { OidcSettings } from './oidc-settings.js';
import { OidcStart } from './oidc-start.js';
import { OidcStrategy } from './oidc.strategy.js';
import { OidcIdTokenFlows } from './id-token/id-token-flows.js';
import { OidcIdTokens } from './id-token/oidc-id-tokens.js';
import { FedcmController } from './fedcm/fedcm.controller.js';
import { FedcmService } from './fedcm/fedcm.service.js';
import { SessionTokenExchangeController } from './session-token-exchange.controller.js';

/** Social sign-in: the strategy, its providers, the provider's callback and the native token exchange. */
@Module({
  imports: [IdentityModule, SchemaModule, SessionModule, JsonnetModule, FlowModule],
  controllers: [OidcCallbackController, FedcmController, SessionTokenExchangeController],
  providers: [
    OidcProviders,
    OidcStart,
    OidcMapper,
    OidcRegistration,
    OidcStrategy,
    OidcCallback,
    OidcConversion,
    OidcLinking,
    OidcSettings,
    OidcIdTokens,
    OidcIdTokenFlows,
    FedcmService,
  ],
  exports: [OidcStrategy, OidcProviders, OidcLinking],
})
export class OidcStrategyModule {}
