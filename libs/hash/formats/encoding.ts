import { timingSafeEqual } from 'node:crypto';

const STD_PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const STD_RAW = /^[A-Za-z0-9+/]*$/;

/**
 * Go's `base64.StdEncoding.Strict()`: padding required and unused trailing bits
 * zero. Buffer.from(…, 'base64') silently accepts anything, so the round trip
 * is what makes the check strict.
 */
export function decodeBase64Strict(text: string): Buffer | null {
  if (!STD_PADDED.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** Go's `base64.RawStdEncoding.Strict()`, the PHC encoding: no padding. */
export function decodeBase64RawStrict(text: string): Buffer | null {
  if (!STD_RAW.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes : null;
}

/** Go's non-strict `base64.StdEncoding` (used by Kratos for LDAP `{SSHA}` values). */
export function decodeBase64Lenient(text: string): Buffer | null {
  return STD_PADDED.test(text) ? Buffer.from(text, 'base64') : null;
}

/** Length-checked wrapper: timingSafeEqual throws on unequal lengths. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Positive decimal integer without sign, leading zeros tolerated like Go's Sscanf. */
export function parseUint(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const value = Number(text);
  return value <= 0xffffffff ? value : null;
}
