import { createHmac, hash, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 characters from a CSPRNG without modulo bias: about 190 bits. */
function randomAlphanumeric(length = 32): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

export const newSessionToken = () => `ory_st_${randomAlphanumeric()}`;

/**
 * The logout token is derived from the session token, so the logout URL can be shown again to
 * the browser that holds the session while only hashes of either token are ever stored.
 */
export function logoutTokenFor(sessionToken: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(`logout:${sessionToken}`).digest();
  let out = '';
  for (let i = 0; i < 32; i++) out += ALPHABET[digest[i]! % ALPHABET.length];
  return `ory_lo_${out}`;
}

/** Tokens are kept only as this digest: a database leak yields nothing that authenticates. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
