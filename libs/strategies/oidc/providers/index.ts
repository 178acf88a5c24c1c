import { type OidcProviderConfig } from '../../../config/index.js';
import { GenericProvider } from './generic.provider.js';
import { type SocialProvider } from './oidc-provider.js';
import {
  AppleProvider,
  Auth0Provider,
  DiscordProvider,
  GitHubProvider,
  GitLabProvider,
  GoogleProvider,
} from './presets.js';
import { MicrosoftProvider } from './microsoft.provider.js';

/** The class for a configured provider; the config was checked at start. */
export function socialProvider(config: OidcProviderConfig): SocialProvider {
  switch (config.provider) {
    case 'google':
      return new GoogleProvider(config);
    case 'github':
      return new GitHubProvider(config);
    case 'microsoft':
      return new MicrosoftProvider(config);
    case 'apple':
      return new AppleProvider(config);
    case 'gitlab':
      return new GitLabProvider(config);
    case 'discord':
      return new DiscordProvider(config);
    case 'auth0':
      return new Auth0Provider(config);
    default:
      return new GenericProvider(config);
  }
}

export { GenericProvider, ProviderUnavailableError } from './generic.provider.js';
export {
  OidcFlowError,
  type AuthorizationRequest,
  type ProviderIdentity,
  type SocialProvider,
  UPSTREAM_PARAMETERS,
} from './oidc-provider.js';
