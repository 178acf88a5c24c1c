import * as client from 'openid-client';
import { type OidcProviderConfig } from '../../../config/index.js';
import { normaliseClaims } from '../oidc-claims.js';
import { PROVIDER_TIMEOUT_SECONDS, providerFetch } from './provider-fetch.js';
import {
  type AuthorizationRequest,
  type CallbackParams,
  OidcFlowError,
  type ProviderIdentity,
  scopesOf,
  type SocialProvider,
} from './oidc-provider.js';

/** Answers of the token endpoint's transport that are the provider's failure, not the user's. */
const SYSTEM_CODES = new Set<string>([
  client.ResponseBodyError.name,
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_HTTP_REQUEST_FORBIDDEN',
  'OAUTH_REQUEST_PROTOCOL_FORBIDDEN',
]);

/** The provider's failure (network, token endpoint error): a system error, never the user's. */
export class ProviderUnavailableError extends Error {}

/** Plain http is allowed for issuers on loopback and in tests, as Kratos allows it; requests go through providerFetch. */
export function requestOptions(url: URL): {
  execute: ((config: client.Configuration) => void)[];
  timeout: number;
  [client.customFetch]: client.CustomFetch;
} {
  const useProviderFetch = (config: client.Configuration) => {
    config[client.customFetch] = providerFetch;
  };
  return {
    execute: url.protocol === 'http:' ? [client.allowInsecureRequests, useProviderFetch] : [useProviderFetch],
    timeout: PROVIDER_TIMEOUT_SECONDS,
    [client.customFetch]: providerFetch,
  };
}

/** Sorts an error from openid-client into the user's flow problem or the provider's failure. */
export function classify(error: unknown): Error {
  if (error instanceof OidcFlowError || error instanceof ProviderUnavailableError) return error;
  if (error instanceof client.ResponseBodyError) {
    const detail = error.error_description ? `: ${error.error_description}` : '';
    return new ProviderUnavailableError(`The OpenID Provider refused the request (${error.error}${detail})`);
  }
  const code = (error as { code?: unknown }).code;
  if (error instanceof TypeError || (typeof code === 'string' && SYSTEM_CODES.has(code))) {
    return new ProviderUnavailableError(`The OpenID Provider could not be reached or answered badly`);
  }
  // openid-client wraps oauth4webapi's error, whose message names the failed check.
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : (error as Error).message;
  return new OidcFlowError(`Unable to verify the ID token: ${detail}`);
}

/**
 * A generic OpenID Connect provider: discovery from `issuer_url` (the document's issuer must
 * match exactly), authorization code flow with PKCE when the provider supports it (or `pkce:
 * force`), client_secret_basic, ID tokens verified by openid-client (signature against the JWKS,
 * issuer, audience, expiry; non-repudiation checks on), claims from the ID token or userinfo.
 */
export class GenericProvider implements SocialProvider {
  private discovered?: Promise<client.Configuration>;

  constructor(readonly config: OidcProviderConfig) {}

  protected issuerUrl(): string {
    return this.config.issuer_url ?? '';
  }

  protected defaultScopes(): string[] {
    return [];
  }

  protected clientAuthentication(): Promise<client.ClientAuth> | client.ClientAuth {
    return client.ClientSecretBasic(this.config.client_secret ?? '');
  }

  /** Extra authorization parameters a preset needs (Apple's form_post). */
  protected extraAuthorizationParameters(): Record<string, string> {
    return {};
  }

  /** Discovery, cached; a failed discovery is tried again on the next request. */
  protected configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  private async discover(): Promise<client.Configuration> {
    const url = new URL(this.issuerUrl());
    let config: client.Configuration;
    try {
      config = await client.discovery(
        url,
        this.config.client_id,
        undefined,
        await this.clientAuthentication(),
        requestOptions(url),
      );
    } catch (error) {
      throw new ProviderUnavailableError(
        `Unable to discover the OpenID Connect configuration of "${this.config.id}": ${(error as Error).message}`,
      );
    }
    client.enableNonRepudiationChecks(config);
    return config;
  }

  async usesPkce(): Promise<boolean> {
    if (this.config.pkce === 'never') return false;
    if (this.config.pkce === 'force') return true;
    try {
      const methods = (await this.configuration()).serverMetadata().code_challenge_methods_supported;
      return Array.isArray(methods) && methods.includes('S256');
    } catch {
      return false;
    }
  }

  async authorizationUrl(request: AuthorizationRequest): Promise<string> {
    const config = await this.configuration();
    const params: Record<string, string> = {
      response_type: 'code',
      redirect_uri: request.redirectUri,
      scope: scopesOf(this.config, this.defaultScopes()).join(' '),
      state: request.state,
      ...request.upstream,
      ...this.extraAuthorizationParameters(),
    };
    if (request.codeVerifier) {
      params['code_challenge'] = await client.calculatePKCECodeChallenge(request.codeVerifier);
      params['code_challenge_method'] = 'S256';
    }
    if (request.forceLogin) params['prompt'] = 'login';
    if (this.config.requested_claims) params['claims'] = JSON.stringify(this.config.requested_claims);
    return client.buildAuthorizationUrl(config, params).href;
  }

  async exchange(callback: CallbackParams): Promise<ProviderIdentity> {
    const config = await this.configuration();
    const current = new URL(callback.redirectUri);
    for (const key of ['code', 'state', 'iss']) {
      const value = callback.query[key];
      if (value !== undefined) current.searchParams.set(key, value);
    }
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: callback.codeVerifier,
        expectedState: callback.query['state'],
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!tokens.id_token || !idClaims) throw new OidcFlowError('no id_token was returned');
      let raw: Record<string, unknown> = { ...idClaims };
      if (this.config.claims_source === 'userinfo') {
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        raw = { ...info, iss: idClaims.iss };
      }
      const claims = normaliseClaims(raw);
      if (!claims) throw new OidcFlowError('the claims are missing "sub" or "iss"');
      return {
        claims,
        tokens: {
          id_token: tokens.id_token,
          access_token: tokens.access_token,
          refresh_token: tokens.refresh_token ?? '',
        },
      };
    } catch (error) {
      throw classify(error);
    }
  }
}
