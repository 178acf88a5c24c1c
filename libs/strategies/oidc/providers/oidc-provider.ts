import { type OidcProviderConfig } from '../../../config/index.js';
import { type OidcClaims } from '../oidc-claims.js';

/** What the authorization request carries beyond the client's own settings. */
export interface AuthorizationRequest {
  state: string;
  redirectUri: string;
  /** PKCE verifier, when the provider uses PKCE for this request. */
  codeVerifier?: string;
  /** `login_hint`, `hd`, `prompt`, `auth_type`, `acr_values` as the user submitted them. */
  upstream: Record<string, string>;
  /** A refresh login: the provider must ask the person again (`prompt=login`). */
  forceLogin: boolean;
}

/** The callback's query as the provider sent it (`code`, `state`, `iss`, ...). */
export interface CallbackParams {
  redirectUri: string;
  query: Record<string, string>;
  codeVerifier?: string;
}

/** A signed-in person: verified claims and the tokens to keep (sealed) on the credential. */
export interface ProviderIdentity {
  claims: OidcClaims;
  tokens: { id_token: string; access_token: string; refresh_token: string };
}

/** An error of the provider's or of its answer that is the user's flow problem, not a system failure. */
export class OidcFlowError extends Error {}

/** A social sign-in provider: one class per preset over the generic OpenID Connect one. */
export interface SocialProvider {
  readonly config: OidcProviderConfig;
  /** Whether this provider's requests use PKCE (`pkce: auto` asks the discovery document). */
  usesPkce(): Promise<boolean>;
  authorizationUrl(request: AuthorizationRequest): Promise<string>;
  /** Exchanges the code and returns the verified person; provider-side failures throw. */
  exchange(callback: CallbackParams): Promise<ProviderIdentity>;
}

/** `openid` is always requested, first, once. */
export function scopesOf(config: OidcProviderConfig, defaults: string[] = []): string[] {
  const scopes = config.scope?.length ? config.scope : defaults;
  return ['openid', ...scopes.filter((s) => s !== 'openid')];
}

/** The upstream parameters Kratos lets through to the provider. */
export const UPSTREAM_PARAMETERS = ['login_hint', 'hd', 'prompt', 'auth_type', 'acr_values'] as const;
