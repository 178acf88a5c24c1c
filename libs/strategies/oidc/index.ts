export { normaliseClaims, type OidcClaims } from './oidc-claims.js';
export { OidcStrategyModule } from './oidc.module.js';
export { OidcProviders } from './oidc-providers.js';
export { OidcStateCipher, initCodeHash, type OidcState } from './oidc-state.js';
export { OidcStrategy } from './oidc.strategy.js';
export { socialProvider } from './providers/index.js';
export { OidcLinking } from './oidc-linking.js';
