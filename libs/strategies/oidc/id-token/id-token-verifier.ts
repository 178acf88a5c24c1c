import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { type OidcProviderConfig } from '../../../config/index.js';
import { outboundFetch } from '../../../http-client/index.js';
import { normaliseClaims } from '../oidc-claims.js';
import { type ProviderIdentity } from '../providers/index.js';
import { jwksFetch } from '../providers/provider-fetch.js';
import { nonceProblem, type NoncePolicy } from './id-token-nonce.js';

/** Config keys of a provider that only the ID token paths read (Kratos' schema has them). */
export type IdTokenProviderConfig = OidcProviderConfig & {
  additional_id_token_audiences?: string[];
  fedcm_config_url?: string;
};

/** Asymmetric algorithms only: never `none`, never an HMAC keyed with something public. */
export const ID_TOKEN_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** The providers Kratos verifies submitted ID tokens for, their fixed issuer and nonce rule. */
const SUPPORTED: Record<string, { issuer: string; nonce: NoncePolicy }> = {
  google: { issuer: 'https://accounts.google.com', nonce: 'optional' },
  apple: { issuer: 'https://appleid.apple.com', nonce: 'apple' },
};

const TIMEOUT_MS = 10_000;

/** A refused token: the person's flow problem (400 on the flow), never a system error. */
export class IdTokenRefusedError extends Error {}

/** Whether the provider takes `id_token` submissions (Kratos: Apple and Google; not generic). */
export function supportsIdToken(config: OidcProviderConfig): boolean {
  return Object.hasOwn(SUPPORTED, config.provider);
}

interface Keys {
  issuer: string;
  jwks: JWTVerifyGetKey;
}

/**
 * Verifies ID tokens a client obtained itself (native SDKs, FedCM): signature against the
 * provider's published keys (from its discovery document), issuer, audience (`client_id` or one of
 * `additional_id_token_audiences`), expiry and an asymmetric algorithm, then Kratos' nonce rule.
 * The issuer is the preset's (Google, Apple) unless `issuer_url` names another one.
 */
export class IdTokenVerifier {
  private keys?: Promise<Keys>;

  constructor(readonly config: IdTokenProviderConfig) {}

  private issuer(): string {
    return this.config.issuer_url || SUPPORTED[this.config.provider]?.issuer || '';
  }

  private load(): Promise<Keys> {
    this.keys ??= this.discover().catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async discover(): Promise<Keys> {
    const issuer = this.issuer();
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let metadata: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await outboundFetch(url, { timeoutMs: TIMEOUT_MS });
      if (!response.ok) throw new Error(`status ${response.status}`);
      metadata = (await response.json()) as typeof metadata;
    } catch (error) {
      throw new IdTokenRefusedError(
        `Unable to fetch the OpenID Connect configuration of "${this.config.id}": ${(error as Error).message}`,
      );
    }
    const jwksUri = typeof metadata.jwks_uri === 'string' ? URL.parse(metadata.jwks_uri) : null;
    if (metadata.issuer !== issuer || !jwksUri || !/^https?:$/.test(jwksUri.protocol)) {
      throw new IdTokenRefusedError(`The OpenID Connect configuration of "${this.config.id}" is not usable`);
    }
    return {
      issuer,
      jwks: createRemoteJWKSet(jwksUri, { timeoutDuration: TIMEOUT_MS, [customFetch]: jwksFetch }),
    };
  }

  /** The verified person, or IdTokenRefusedError naming the failed check. */
  async verify(rawIdToken: string, nonce: string): Promise<ProviderIdentity> {
    const { issuer, jwks } = await this.load();
    const audiences = [this.config.client_id, ...(this.config.additional_id_token_audiences ?? [])];
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(rawIdToken, jwks, {
        issuer,
        audience: audiences,
        algorithms: ID_TOKEN_ALGORITHMS,
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }));
    } catch (error) {
      throw new IdTokenRefusedError(`Could not verify id_token: ${describe(error)}`);
    }
    const problem = nonceProblem(payload, nonce, SUPPORTED[this.config.provider]?.nonce ?? 'required');
    if (problem) throw new IdTokenRefusedError(problem);
    const claims = normaliseClaims(payload);
    if (!claims) throw new IdTokenRefusedError('The id_token claims were invalid');
    return { claims, tokens: { id_token: rawIdToken, access_token: '', refresh_token: '' } };
  }
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token is expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim "${error.claim}" ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the signature is invalid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no published key matches the token';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the signing algorithm is not allowed';
  if (error instanceof joseErrors.JWSInvalid || error instanceof joseErrors.JWTInvalid) {
    return 'the token is malformed';
  }
  if (error instanceof joseErrors.JOSEError) return error.message;
  return "the provider's keys could not be fetched";
}
