import * as client from 'openid-client';
import { type OidcProviderConfig } from '../../../config/index.js';
import { outboundFetch } from '../../../http-client/index.js';
import { normaliseClaims, type OidcClaims } from '../oidc-claims.js';
import { classify, ProviderUnavailableError, requestOptions } from './generic.provider.js';
import {
  type AuthorizationRequest,
  type CallbackParams,
  OidcFlowError,
  type ProviderIdentity,
  type SocialProvider,
} from './oidc-provider.js';

/** The token endpoint's answer, as far as sign-in needs it. */
export interface OAuth2Tokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
}

export interface OAuth2Endpoints {
  /** The `iss` Kratos gives this provider's claims. */
  issuer: string;
  authorization: string;
  token: string;
}

/**
 * A provider that speaks OAuth2 but not OpenID Connect (GitHub, Discord): fixed endpoints, no ID
 * token, the person read from the provider's API with the access token. `auth_url`/`token_url`
 * in the config replace the fixed endpoints (GitHub Enterprise, tests).
 */
export abstract class OAuth2Provider implements SocialProvider {
  constructor(readonly config: OidcProviderConfig) {}

  protected abstract endpoints(): OAuth2Endpoints;
  protected abstract defaultScopes(): string[];
  protected abstract rawClaims(tokens: OAuth2Tokens): Promise<Record<string, unknown>>;

  /** The scopes asked for: the configured ones, else the preset's (no `openid`: not OIDC). */
  protected scopes(): string[] {
    return this.config.scope?.length ? this.config.scope : this.defaultScopes();
  }

  protected configuration(): client.Configuration {
    const endpoints = this.endpoints();
    const config = new client.Configuration(
      {
        issuer: endpoints.issuer,
        authorization_endpoint: this.config.auth_url || endpoints.authorization,
        token_endpoint: this.config.token_url || endpoints.token,
      },
      this.config.client_id,
      undefined,
      client.ClientSecretBasic(this.config.client_secret ?? ''),
    );
    const options = requestOptions(new URL(this.config.token_url || endpoints.token));
    for (const apply of options.execute) apply(config);
    return config;
  }

  async usesPkce(): Promise<boolean> {
    return this.config.pkce === 'force';
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<string> {
    const params: Record<string, string> = {
      response_type: 'code',
      redirect_uri: request.redirectUri,
      scope: this.scopes().join(' '),
      state: request.state,
      ...request.upstream,
    };
    if (request.codeVerifier) {
      params['code_challenge'] = await client.calculatePKCECodeChallenge(request.codeVerifier);
      params['code_challenge_method'] = 'S256';
    }
    if (request.forceLogin) params['prompt'] = 'login';
    return client.buildAuthorizationUrl(this.configuration(), params).href;
  }

  /** The subject the person is keyed by: the provider's `sub`, unless a provider says otherwise. */
  protected async subject(claims: OidcClaims, _tokens: OAuth2Tokens): Promise<string> {
    return claims.sub;
  }

  protected async getJson(url: string, accessToken: string): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await outboundFetch(url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        timeoutMs: 10_000,
      });
    } catch {
      throw new ProviderUnavailableError(`The provider's API at ${url} could not be reached`);
    }
    if (!response.ok) throw new ProviderUnavailableError(`The provider's API answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** The code exchange at the token endpoint (PKCE verifier and state checked by openid-client). */
  protected async requestTokens(callback: CallbackParams): Promise<OAuth2Tokens> {
    const current = new URL(callback.redirectUri);
    for (const key of ['code', 'state']) {
      const value = callback.query[key];
      if (value !== undefined) current.searchParams.set(key, value);
    }
    return client.authorizationCodeGrant(this.configuration(), current, {
      pkceCodeVerifier: callback.codeVerifier,
      expectedState: callback.query['state'],
      idTokenExpected: false,
    });
  }

  async exchange(callback: CallbackParams): Promise<ProviderIdentity> {
    try {
      const tokens = await this.requestTokens(callback);
      const claims = normaliseClaims(await this.rawClaims(tokens));
      const sub = claims && (await this.subject(claims, tokens));
      if (!claims || !sub) throw new OidcFlowError('the claims are missing "sub" or "iss"');
      return {
        claims: { ...claims, sub },
        tokens: {
          id_token: tokens.id_token ?? '',
          access_token: tokens.access_token,
          refresh_token: tokens.refresh_token ?? '',
        },
      };
    } catch (error) {
      throw classify(error);
    }
  }
}
