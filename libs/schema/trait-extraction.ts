import { normalizeIdentifier } from './identifier-normalizer.js';
import {
  type AddressVia,
  type CredentialIdentifierType,
  type KratosExtension,
  type ParsedIdentitySchema,
  type TraitAddress,
  type TraitField,
} from './identity-schema.types.js';

/** The value at a path (array indexes allowed); undefined when a parent is missing or a scalar. */
export function traitValue(traits: unknown, segments: readonly string[]): unknown {
  let cursor = traits;
  for (const segment of segments) {
    if (typeof cursor !== 'object' || cursor === null) return undefined;
    if (Array.isArray(cursor) && !/^\d+$/.test(segment)) return undefined;
    cursor = (cursor as Record<string, unknown>)[segment];
  }
  return cursor;
}

// Arrays of strings count element by element; non-strings never become identifiers.
function stringsAt(traits: unknown, field: TraitField): string[] {
  const value = traitValue(traits, field.segments);
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

function unique(values: Iterable<string>): string[] {
  return [...new Set([...values].filter((v) => v !== ''))];
}

function uniqueAddresses(addresses: TraitAddress[]): TraitAddress[] {
  const seen = new Set<string>();
  return addresses.filter((a) => {
    const key = `${a.via}:${a.value}`;
    if (a.value === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function addresses(
  schema: ParsedIdentitySchema,
  traits: unknown,
  viaOf: (ext: KratosExtension) => AddressVia | undefined,
): TraitAddress[] {
  const out: TraitAddress[] = [];
  for (const field of schema.fields) {
    const via = viaOf(field.extension);
    if (!via) continue;
    for (const value of stringsAt(traits, field)) out.push({ value: normalizeIdentifier(value, via), via });
  }
  return uniqueAddresses(out);
}

/** Values that become verifiable addresses (`verification.via`), normalised and deduplicated. */
export function verifiableAddresses(schema: ParsedIdentitySchema, traits: unknown): TraitAddress[] {
  return addresses(schema, traits, (ext) => ext.verification?.via);
}

/** Values that become recovery addresses (`recovery.via`). */
export function recoveryAddresses(schema: ParsedIdentitySchema, traits: unknown): TraitAddress[] {
  return addresses(schema, traits, (ext) => ext.recovery?.via);
}

/** Addresses of the `code` credential (`credentials.code.identifier` with its `via`). */
export function codeAddresses(schema: ParsedIdentitySchema, traits: unknown): TraitAddress[] {
  return addresses(schema, traits, (ext) =>
    ext.credentials?.code?.identifier ? ext.credentials.code.via : undefined,
  );
}

/**
 * Identifier values per credential type. `password`, `webauthn` and `code` are normalised lookup
 * keys for `identity_credential_identifiers`. `passkey` and `totp` hold the traits marked
 * `passkey.display_name` / `totp.account_name`: display strings, only trimmed, and NOT stored as
 * identifiers (Kratos keys those credentials by user handle and identity id).
 */
export function credentialIdentifiers(
  schema: ParsedIdentitySchema,
  traits: unknown,
): Record<CredentialIdentifierType, string[]> {
  const out: Record<CredentialIdentifierType, string[]> = {
    password: [],
    webauthn: [],
    code: [],
    passkey: [],
    totp: [],
  };
  for (const field of schema.fields) {
    const credentials = field.extension.credentials;
    if (!credentials) continue;
    const values = stringsAt(traits, field);
    if (credentials.password?.identifier) out.password.push(...values.map((v) => normalizeIdentifier(v)));
    if (credentials.webauthn?.identifier) out.webauthn.push(...values.map((v) => normalizeIdentifier(v)));
    if (credentials.passkey?.display_name) out.passkey.push(...values.map((v) => v.trim()));
    if (credentials.totp?.account_name) out.totp.push(...values.map((v) => v.trim()));
  }
  out.code = codeAddresses(schema, traits).map((a) => a.value);
  for (const type of Object.keys(out) as CredentialIdentifierType[]) out[type] = unique(out[type]);
  return out;
}

/** The passkey user display name: the first trait marked `passkey.display_name`. */
export function passkeyDisplayName(schema: ParsedIdentitySchema, traits: unknown): string | undefined {
  return credentialIdentifiers(schema, traits).passkey[0];
}

/** The TOTP account name for the otpauth URL: the first trait marked `totp.account_name`. */
export function totpAccountName(schema: ParsedIdentitySchema, traits: unknown): string | undefined {
  return credentialIdentifiers(schema, traits).totp[0];
}

/** Fields marked as any kind of login identifier (drives the login `identifier` label). */
export function identifierFields(schema: ParsedIdentitySchema): TraitField[] {
  return schema.fields.filter(({ extension: { credentials: c } }) =>
    Boolean(
      c?.password?.identifier ||
      c?.webauthn?.identifier ||
      c?.code?.identifier ||
      c?.passkey?.display_name ||
      c?.totp?.account_name,
    ),
  );
}
