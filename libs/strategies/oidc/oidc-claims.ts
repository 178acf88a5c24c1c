/** The standard claims Kratos hands the Jsonnet mapper as top-level keys. */
const STANDARD_CLAIMS = [
  'iss',
  'sub',
  'name',
  'given_name',
  'family_name',
  'last_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'updated_at',
  'hd',
  'team',
] as const;

const BOOLEAN_CLAIMS = new Set(['email_verified', 'phone_number_verified']);

/** What a provider said about the person, in the mapper's shape: standard keys + `raw_claims`. */
export interface OidcClaims {
  iss: string;
  sub: string;
  email?: string;
  email_verified?: boolean;
  raw_claims: Record<string, unknown>;
  [claim: string]: unknown;
}

function booleanOf(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/**
 * Kratos' `Claims`: standard claims as typed fields whose empty or false values are left out
 * (`omitempty`), `email_verified` also accepted as the string "true", everything as received in
 * `raw_claims`. Null when `sub` or `iss` is missing.
 */
export function normaliseClaims(raw: Record<string, unknown>): OidcClaims | null {
  const claims: Record<string, unknown> = {};
  for (const key of STANDARD_CLAIMS) {
    const value = raw[key];
    if (BOOLEAN_CLAIMS.has(key)) {
      if (booleanOf(value)) claims[key] = true;
      continue;
    }
    if (key === 'updated_at') {
      if (typeof value === 'number' && value !== 0) claims[key] = value;
      continue;
    }
    if (typeof value === 'number' && key === 'sub') claims[key] = String(value);
    else if (typeof value === 'string' && value !== '') claims[key] = value;
  }
  if (typeof claims['sub'] !== 'string' || typeof claims['iss'] !== 'string') return null;
  return { ...(claims as { iss: string; sub: string }), raw_claims: { ...raw } };
}
