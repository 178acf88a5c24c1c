import { importJWK, type CryptoKey, type JWK } from 'jose';

/** The algorithms Kratos' JWT library signs with; the key's own `alg` picks one, as in Kratos. */
const SIGNING_ALGORITHMS: readonly string[] = [
  'HS256',
  'HS384',
  'HS512',
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

/** A template's signing key, parsed once at start. */
export interface TokenizerSigningKey {
  alg: string;
  kid?: string;
  key: CryptoKey | Uint8Array;
}

/** Why a JWKS cannot sign; the tokenizer names the config key in front of it. */
export class TokenizerKeyError extends Error {
  override readonly name = 'TokenizerKeyError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first key of a JWKS document (`{"keys": [...]}`), which must be a private JWK with an `alg`
 * Kratos signs with: a JWKS of public keys could only ever fail at whoami time.
 */
export async function signingKeyFromJwks(document: string): Promise<TokenizerSigningKey> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw new TokenizerKeyError('the JWKS is not valid JSON');
  }
  const keys = isObject(parsed) ? parsed['keys'] : undefined;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TokenizerKeyError('the JWKS must hold a non-empty "keys" array');
  }
  const jwk: unknown = keys[0];
  if (!isObject(jwk)) throw new TokenizerKeyError('the first key of the JWKS is not an object');
  const alg = jwk['alg'];
  if (typeof alg !== 'string' || !SIGNING_ALGORITHMS.includes(alg)) {
    throw new TokenizerKeyError(
      `the first key must include a valid "alg" parameter but ${JSON.stringify(alg ?? '')} was given`,
    );
  }
  const kty = jwk['kty'];
  const secret = kty === 'oct' ? typeof jwk['k'] === 'string' : typeof jwk['d'] === 'string';
  if (!secret) throw new TokenizerKeyError('the first key of the JWKS is not a private key');
  let key: CryptoKey | Uint8Array;
  try {
    key = await importJWK(jwk as JWK, alg);
  } catch (error) {
    throw new TokenizerKeyError(`the first key cannot be used for ${alg}: ${(error as Error).message}`);
  }
  const kid = jwk['kid'];
  return { alg, key, ...(typeof kid === 'string' && kid !== '' ? { kid } : {}) };
}
