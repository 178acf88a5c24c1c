import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export const LOOKUP_CODE_COUNT = 12;
const LENGTH = 8;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** One backup code as stored in the credential: sealed with the cipher, and when it was spent. */
export interface StoredLookupCode {
  code: string;
  used_at?: string;
}

/** Twelve codes of eight `[a-z0-9]` characters (41 bits each), as Kratos makes them. */
export function newLookupCodes(): string[] {
  return Array.from({ length: LOOKUP_CODE_COUNT }, () =>
    Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  );
}

export function normalizeLookupCode(input: string): string {
  return input.trim().toLowerCase();
}

/**
 * The index of the code equal to `given`, or -1. Every code is compared, in constant time per
 * code (digests of equal length), so timing does not tell how close a guess was.
 */
export function findLookupCode(codes: readonly string[], given: string): number {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const wanted = digest(normalizeLookupCode(given));
  let found = -1;
  codes.forEach((code, index) => {
    if (timingSafeEqual(digest(code), wanted) && found < 0) found = index;
  });
  return found;
}
