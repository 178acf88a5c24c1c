import { type AddressVia } from './identity-schema.types.js';

// Format (Cf) and control (Cc) code points: zero-width joiners/spaces, bidi overrides and marks,
// BOM, soft hyphen. Invisible in a UI, so two identifiers differing only by them are the same.
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;
const PHONE_SEPARATORS = /[\s\-\u2010-\u2015\u2212().]/g;
const PHONE = /^\+[1-9]\d{6,14}$/;

/** Removes the characters people put between phone digits. */
export function stripPhoneSeparators(value: string): string {
  return value.replace(PHONE_SEPARATORS, '');
}

/**
 * Canonical form used to store and look up identifiers and addresses: invisible code points
 * removed, NFKC, trimmed; then phone numbers compacted to `+<digits>` and everything else
 * lower-cased. Without `via` the kind is guessed like Kratos' graceful normalisation: a value
 * that reads as an international number is a phone number, anything else a name or email.
 */
export function normalizeIdentifier(value: string, via?: AddressVia): string {
  const base = value.replace(INVISIBLE, '').normalize('NFKC').trim();
  if (via === 'sms') return stripPhoneSeparators(base);
  if (via === 'email') return base.toLowerCase();
  const compact = stripPhoneSeparators(base);
  return PHONE.test(compact) ? compact : base.toLowerCase();
}
