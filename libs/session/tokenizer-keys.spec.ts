import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signingKeyFromJwks, TokenizerKeyError } from './tokenizer-keys.js';

async function privateJwk(alg: 'ES256' | 'RS256' | 'EdDSA', extra: Record<string, unknown> = {}) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { publicKey, jwk: { ...(await exportJWK(privateKey)), alg, ...extra } };
}

const jwks = (...keys: unknown[]) => JSON.stringify({ keys });

describe('signingKeyFromJwks', () => {
  it('takes the first key with its own alg and kid, and the key signs what its public half verifies', async () => {
    const first = await privateJwk('ES256', { kid: 'k-1' });
    const second = await privateJwk('RS256', { kid: 'k-2' });
    const key = await signingKeyFromJwks(jwks(first.jwk, second.jwk));
    expect(key).toMatchObject({ alg: 'ES256', kid: 'k-1' });
    const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: key.alg }).sign(key.key);
    const { payload } = await jwtVerify(jwt, first.publicKey);
    expect(payload['a']).toBe(1);
  });

  it('accepts an RS256, an EdDSA and an HS256 key, and leaves kid out when the key has none', async () => {
    expect(await signingKeyFromJwks(jwks((await privateJwk('RS256')).jwk))).toMatchObject({ alg: 'RS256' });
    const ed = await signingKeyFromJwks(jwks((await privateJwk('EdDSA')).jwk));
    expect(ed.alg).toBe('EdDSA');
    expect(ed).not.toHaveProperty('kid');
    const hs = await signingKeyFromJwks(
      jwks({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg', alg: 'HS256' }),
    );
    expect(hs.alg).toBe('HS256');
  });

  it.each([
    ['not JSON', 'nope', 'not valid JSON'],
    ['no keys', JSON.stringify({ keys: [] }), 'non-empty "keys" array'],
    ['a key that is not an object', jwks('x'), 'is not an object'],
  ])('refuses %s', async (_name, document, message) => {
    await expect(signingKeyFromJwks(document)).rejects.toThrow(message);
  });

  it('refuses a key without an alg, or with one Kratos does not sign with', async () => {
    const { jwk } = await privateJwk('ES256');
    const { alg: _alg, ...withoutAlg } = jwk;
    await expect(signingKeyFromJwks(jwks(withoutAlg))).rejects.toThrow(
      'valid "alg" parameter but "" was given',
    );
    await expect(signingKeyFromJwks(jwks({ ...jwk, alg: 'none' }))).rejects.toThrow(TokenizerKeyError);
  });

  it('refuses a public key and a key that does not fit its alg', async () => {
    const { jwk } = await privateJwk('ES256');
    const { d: _d, ...publicJwk } = jwk;
    await expect(signingKeyFromJwks(jwks(publicJwk))).rejects.toThrow('not a private key');
    await expect(signingKeyFromJwks(jwks({ ...jwk, alg: 'RS256' }))).rejects.toThrow(
      'cannot be used for RS256',
    );
  });
});
