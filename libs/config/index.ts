export { ConfigError, loadConfig, type LoadedConfig, type LoadOptions } from './config.loader.js';
export { adminExposure, isLoopbackHost, type AdminExposure } from './admin-exposure.js';
export { ConfigModule } from './config.module.js';
export {
  ConfigService,
  type AdminApiKeyEntry,
  type HashersConfig,
  type IdentitySchemaConfig,
  type ListenAddress,
  type ServerKind,
} from './config.service.js';
export { MAX_DURATION_MS, parseByteSize, parseDuration } from './duration.js';
export { packageRoot, packageVersion } from './package-root.js';
export { SUPPORTED_KEYS } from './supported-keys.js';
export { otelEnvironment } from './otel-env.js';
export { OIDC_PROVIDER_KINDS, type OidcProviderConfig, type OidcProviderKind } from './oidc-config.js';
