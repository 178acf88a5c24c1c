import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { outboundFetch } from '../../../http-client/index.js';
import { ID_TOKEN_ALGORITHMS } from '../id-token/id-token-verifier.js';
import { type OidcClaims } from '../oidc-claims.js';
import { type OidcProviderConfig } from '../../../config/index.js';
import { ProviderUnavailableError } from './generic.provider.js';
import { OAuth2Provider, type OAuth2Endpoints, type OAuth2Tokens } from './oauth2.provider.js';
import { type CallbackParams, OidcFlowError, scopesOf } from './oidc-provider.js';
import { jwksFetch } from './provider-fetch.js';

const LOGIN_HOST = 'https://login.microsoftonline.com';
const GRAPH_HOST = 'https://graph.microsoft.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMEOUT_MS = 10_000;

/**
 * Microsoft Entra ID, as Kratos does it: the endpoints of the configured `microsoft_tenant`
 * (`common`, `organizations`, `consumers` or one tenant), and an ID token whose issuer is that
 * of the person's own tenant — `<login host>/<tid>/v2.0`, `tid` read from the token and required
 * to be a UUID — verified against that issuer's published keys (audience, expiry, signature).
 * `issuer_url`, which Kratos has no use for here, replaces the login host (sovereign clouds, tests).
 * `subject_source` picks the subject: the token's `sub` (`userinfo`, the default), its `oid`, or
 * the `id` Microsoft Graph's `/v1.0/me` gives for the access token (`me`); `raw_claims` keep the
 * token's own `sub` either way, as in Kratos. The Graph host is a constructor argument for tests.
 */
export class MicrosoftProvider extends OAuth2Provider {
  private readonly keys = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(
    config: OidcProviderConfig,
    private readonly graphHost = GRAPH_HOST,
  ) {
    super(config);
  }

  private host(): string {
    return (this.config.issuer_url || LOGIN_HOST).replace(/\/+$/, '');
  }

  private tenant(): string {
    return encodeURIComponent(this.config.microsoft_tenant || 'common');
  }

  protected override endpoints(): OAuth2Endpoints {
    const prefix = `${this.host()}/${this.tenant()}`;
    return {
      issuer: `${prefix}/v2.0`,
      authorization: `${prefix}/oauth2/v2.0/authorize`,
      token: `${prefix}/oauth2/v2.0/token`,
    };
  }

  protected override defaultScopes(): string[] {
    return ['profile', 'email'];
  }

  /** Kratos adds `openid` to every OpenID Connect provider's scopes. */
  protected override scopes(): string[] {
    return scopesOf(this.config, this.defaultScopes());
  }

  /**
   * The code exchange, by hand: openid-client would hold the ID token to the configured tenant's
   * issuer (`common` has none), where Kratos holds it to the person's tenant.
   */
  protected override async requestTokens(callback: CallbackParams): Promise<OAuth2Tokens> {
    const { client_id, client_secret } = this.config;
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.query['code'] ?? '',
      redirect_uri: callback.redirectUri,
      ...(callback.codeVerifier ? { code_verifier: callback.codeVerifier } : {}),
    });
    const basic = `${encodeURIComponent(client_id)}:${encodeURIComponent(client_secret ?? '')}`;
    const response = await outboundFetch(this.config.token_url || this.endpoints().token, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(basic).toString('base64')}`,
      },
      body,
      timeoutMs: TIMEOUT_MS,
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof json['access_token'] !== 'string') {
      const detail = typeof json['error'] === 'string' ? ` (${json['error']})` : '';
      throw new ProviderUnavailableError(`The OpenID Provider refused the request${detail}`);
    }
    return {
      access_token: json['access_token'],
      ...(typeof json['id_token'] === 'string' ? { id_token: json['id_token'] } : {}),
      ...(typeof json['refresh_token'] === 'string' ? { refresh_token: json['refresh_token'] } : {}),
    };
  }

  /** The tenant issuer's keys, from its discovery document (whose issuer must match), cached. */
  private jwksOf(issuer: string): Promise<JWTVerifyGetKey> {
    let keys = this.keys.get(issuer);
    if (!keys) {
      keys = this.discover(issuer);
      keys.catch(() => this.keys.delete(issuer));
      this.keys.set(issuer, keys);
    }
    return keys;
  }

  private async discover(issuer: string): Promise<JWTVerifyGetKey> {
    let metadata: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await outboundFetch(`${issuer}/.well-known/openid-configuration`, {
        timeoutMs: TIMEOUT_MS,
      });
      if (!response.ok) throw new Error(`status ${response.status}`);
      metadata = (await response.json()) as typeof metadata;
    } catch (error) {
      throw new ProviderUnavailableError(
        `Unable to initialize OpenID Connect Provider: ${(error as Error).message}`,
      );
    }
    const jwksUri = typeof metadata.jwks_uri === 'string' ? URL.parse(metadata.jwks_uri) : null;
    if (metadata.issuer !== issuer || !jwksUri) {
      throw new ProviderUnavailableError(`The OpenID Connect configuration of ${issuer} is not usable`);
    }
    return createRemoteJWKSet(jwksUri, { timeoutDuration: TIMEOUT_MS, [customFetch]: jwksFetch });
  }

  protected override async rawClaims(tokens: OAuth2Tokens): Promise<Record<string, unknown>> {
    const raw = tokens.id_token;
    if (!raw) throw new OidcFlowError('no id_token was returned');
    let tid: unknown;
    try {
      tid = decodeJwt(raw)['tid'];
    } catch {
      throw new OidcFlowError('Unable to verify the ID token: the token is malformed');
    }
    if (typeof tid !== 'string' || !UUID.test(tid)) {
      throw new OidcFlowError('TenantID claim is not a valid UUID');
    }
    const issuer = `${this.host()}/${tid}/v2.0`;
    try {
      const { payload } = await jwtVerify(raw, await this.jwksOf(issuer), {
        issuer,
        audience: this.config.client_id,
        algorithms: ID_TOKEN_ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return payload;
    } catch (error) {
      if (error instanceof ProviderUnavailableError) throw error;
      throw new OidcFlowError(`Unable to verify the ID token: ${(error as Error).message}`);
    }
  }

  protected override async subject(claims: OidcClaims, tokens: OAuth2Tokens): Promise<string> {
    const source = this.config.subject_source;
    if (source === 'oid') return stringOr(claims.raw_claims['oid']);
    if (source !== 'me') return claims.sub;
    const me = await this.getJson(`${this.graphHost}/v1.0/me`, tokens.access_token);
    return stringOr(me['id']);
  }
}

/** Kratos decodes these as strings; anything else leaves the subject empty, which fails the flow. */
function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
