import {
  credentialIdentifiers,
  type ParsedIdentitySchema,
  recoveryAddresses,
  verifiableAddresses,
} from '../../schema/index.js';

/**
 * Everything in the traits that lets someone sign in or receive codes: credential identifiers of
 * every type and the verification and recovery addresses, as one comparable list.
 */
function protectedValues(schema: ParsedIdentitySchema, traits: unknown): string[] {
  const identifiers = Object.entries(credentialIdentifiers(schema, traits)).flatMap(([type, values]) =>
    values.map((value) => `id:${type}:${value}`),
  );
  const verifiable = verifiableAddresses(schema, traits).map((a) => `verify:${a.via}:${a.value}`);
  const recovery = recoveryAddresses(schema, traits).map((a) => `recover:${a.via}:${a.value}`);
  return [...identifiers, ...verifiable, ...recovery].sort();
}

/** True when a trait change touches a sign-in identifier or an address: a privileged change. */
export function changesProtectedTraits(
  schema: ParsedIdentitySchema,
  before: unknown,
  after: unknown,
): boolean {
  const a = protectedValues(schema, before);
  const b = protectedValues(schema, after);
  return a.length !== b.length || a.some((value, i) => value !== b[i]);
}
