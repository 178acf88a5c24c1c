import { Global, Module } from '@nestjs/common';
import { ConfigService } from '../../libs/config/index.js';
import {
  CREDENTIAL_LINKER,
  LOGIN_STRATEGIES,
  REGISTRATION_STRATEGIES,
  SETTINGS_STRATEGIES,
} from '../../libs/flow/index.js';
import { CodeStrategy, CodeStrategyModule } from '../../libs/strategies/code/index.js';
import {
  IdentifierFirstStrategy,
  IdentifierFirstStrategyModule,
} from '../../libs/strategies/identifier-first/index.js';
import {
  LookupSecretStrategy,
  LookupSecretStrategyModule,
} from '../../libs/strategies/lookup-secret/index.js';
import { OidcLinking, OidcStrategy, OidcStrategyModule } from '../../libs/strategies/oidc/index.js';
import { PasskeyStrategy, PasskeyStrategyModule } from '../../libs/strategies/passkey/index.js';
import { PasswordStrategy, PasswordStrategyModule } from '../../libs/strategies/password/index.js';
import { ProfileStrategy, ProfileStrategyModule } from '../../libs/strategies/profile/index.js';
import { TotpStrategy, TotpStrategyModule } from '../../libs/strategies/totp/index.js';
import { WebAuthnStrategy, WebAuthnStrategyModule } from '../../libs/strategies/webauthn/index.js';

/** The second factors switched on by `selfservice.methods.<id>.enabled` (off by default, as in Kratos). */
function secondFactors(config: ConfigService, ...strategies: (TotpStrategy | LookupSecretStrategy)[]) {
  return strategies.filter((s) => config.get<boolean>(`selfservice.methods.${s.id}.enabled`) === true);
}

/** Social sign-in when `selfservice.methods.oidc.enabled` (off by default, as in Kratos). */
function social(config: ConfigService, oidc: OidcStrategy): OidcStrategy[] {
  return config.get<boolean>('selfservice.methods.oidc.enabled') === true ? [oidc] : [];
}

/** The ordered strategy lists the flows ask in turn; a new credential type is added here. */
@Global()
@Module({
  imports: [
    PasswordStrategyModule,
    ProfileStrategyModule,
    CodeStrategyModule,
    TotpStrategyModule,
    LookupSecretStrategyModule,
    WebAuthnStrategyModule,
    PasskeyStrategyModule,
    OidcStrategyModule,
    IdentifierFirstStrategyModule,
  ],
  providers: [
    // An OIDC credential held on a login flow (account linking) joins the identity that signs in.
    { provide: CREDENTIAL_LINKER, useExisting: OidcLinking },
    {
      provide: LOGIN_STRATEGIES,
      inject: [
        ConfigService,
        PasswordStrategy,
        CodeStrategy,
        TotpStrategy,
        LookupSecretStrategy,
        WebAuthnStrategy,
        PasskeyStrategy,
        OidcStrategy,
        IdentifierFirstStrategy,
      ],
      useFactory: (
        config: ConfigService,
        password: PasswordStrategy,
        code: CodeStrategy,
        totp: TotpStrategy,
        lookup: LookupSecretStrategy,
        webauthn: WebAuthnStrategy,
        passkey: PasskeyStrategy,
        oidc: OidcStrategy,
        identifierFirst: IdentifierFirstStrategy,
      ) => [
        password,
        ...social(config, oidc),
        code,
        ...secondFactors(config, totp, lookup),
        webauthn,
        passkey,
        // Last, as in Kratos: it takes what no other method took (when the style is identifier_first).
        identifierFirst,
      ],
    },
    {
      provide: REGISTRATION_STRATEGIES,
      inject: [ConfigService, ProfileStrategy, PasswordStrategy, OidcStrategy, CodeStrategy, PasskeyStrategy],
      // `profile` first, as in Kratos: it lays out `profile_first`'s screens before the others.
      useFactory: (
        config: ConfigService,
        profile: ProfileStrategy,
        password: PasswordStrategy,
        oidc: OidcStrategy,
        code: CodeStrategy,
        passkey: PasskeyStrategy,
      ) => [profile, password, ...social(config, oidc), code, passkey],
    },
    {
      provide: SETTINGS_STRATEGIES,
      inject: [
        ConfigService,
        ProfileStrategy,
        PasswordStrategy,
        TotpStrategy,
        LookupSecretStrategy,
        WebAuthnStrategy,
        PasskeyStrategy,
        OidcStrategy,
      ],
      useFactory: (
        config: ConfigService,
        profile: ProfileStrategy,
        password: PasswordStrategy,
        totp: TotpStrategy,
        lookup: LookupSecretStrategy,
        webauthn: WebAuthnStrategy,
        passkey: PasskeyStrategy,
        oidc: OidcStrategy,
      ) => [
        profile,
        password,
        ...social(config, oidc),
        ...secondFactors(config, totp, lookup),
        webauthn,
        passkey,
      ],
    },
  ],
  exports: [CREDENTIAL_LINKER, LOGIN_STRATEGIES, REGISTRATION_STRATEGIES, SETTINGS_STRATEGIES],
})
export class StrategiesModule {}
