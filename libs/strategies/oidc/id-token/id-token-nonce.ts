import { createHash, timingSafeEqual } from 'node:crypto';

/** How a provider treats an ID token without a `nonce` claim (Kratos' `NonceValidationSkipper`). */
export type NoncePolicy =
  /** A nonce is required in every token. */
  | 'required'
  /** Google: not every SDK sets one, so a token without a nonce passes. */
  | 'optional'
  /** Apple: a token without a nonce passes when it says `nonce_supported`. */
  | 'apple';

/** Whether two strings are equal, in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * Kratos' nonce rule for a submitted ID token (`ProcessIDToken`): the token's `nonce` claim is
 * compared as is with the submitted `id_token_nonce` (no hashing on Kratos' side: a client whose
 * SDK hashes the nonce submits what the SDK put in the token). Returns the refusal, or null.
 */
export function nonceProblem(
  claims: Record<string, unknown>,
  submitted: string,
  policy: NoncePolicy,
): string | null {
  const inToken = typeof claims['nonce'] === 'string' ? claims['nonce'] : '';
  if (inToken === '') {
    if (policy === 'optional') return null;
    if (policy === 'apple' && truthy(claims['nonce_supported'])) return null;
    return 'No nonce was included in the id_token but is required by the provider';
  }
  if (submitted === '') return 'No nonce was provided but is required by the provider';
  if (!sameSecret(submitted, inToken)) return 'The supplied nonce does not match the nonce from the id_token';
  return null;
}
