import { newId } from '../persistence/index.js';
import {
  normalizeIdentifier,
  recoveryAddresses,
  verifiableAddresses,
  type LoadedIdentitySchema,
} from '../schema/index.js';
import { RecoveryAddressEntity, VerifiableAddressEntity } from './address.entity.js';
import { type IdentityEntity } from './identity.entity.js';
import { type VerifiableAddressImport } from './identity.input.js';

const key = (a: { via: string; value: string }) => `${a.via}\u0000${a.value}`;

/**
 * Recomputes the verifiable and recovery addresses from the traits: addresses that stay keep
 * their id and verification state, new ones start `pending`, and ones no longer in the traits
 * go. Imported addresses may mark a derived address verified (admin import of verified users).
 */
export function reconcileAddresses(
  identity: IdentityEntity,
  schema: LoadedIdentitySchema,
  now: Date,
  imported: VerifiableAddressImport[] = [],
): void {
  const existingVerifiable = new Map((identity.verifiableAddresses ?? []).map((a) => [key(a), a]));
  const importedByKey = new Map(
    imported.map((a) => [key({ via: a.via, value: normalizeIdentifier(a.value, a.via) }), a]),
  );
  identity.verifiableAddresses = verifiableAddresses(schema, identity.traits).map((derived) => {
    const address = existingVerifiable.get(key(derived)) ?? newVerifiableAddress(identity.id, derived, now);
    const override = importedByKey.get(key(derived));
    if (override) applyImport(address, override, now);
    return address;
  });

  const existingRecovery = new Map((identity.recoveryAddresses ?? []).map((a) => [key(a), a]));
  identity.recoveryAddresses = recoveryAddresses(schema, identity.traits).map((derived) => {
    const kept = existingRecovery.get(key(derived));
    if (kept) return kept;
    return Object.assign(new RecoveryAddressEntity(), {
      id: newId(),
      identityId: identity.id,
      via: derived.via,
      value: derived.value,
      createdAt: now,
      updatedAt: now,
    });
  });
}

function newVerifiableAddress(
  identityId: string,
  derived: { value: string; via: 'email' | 'sms' },
  now: Date,
) {
  return Object.assign(new VerifiableAddressEntity(), {
    id: newId(),
    identityId,
    via: derived.via,
    value: derived.value,
    verified: false,
    verifiedAt: null,
    status: 'pending' as const,
    createdAt: now,
    updatedAt: now,
  });
}

function applyImport(address: VerifiableAddressEntity, imported: VerifiableAddressImport, now: Date): void {
  const verified = imported.verified ?? address.verified;
  // A verified address is a completed verification, whatever status the caller echoed back.
  const status = verified ? 'completed' : (imported.status ?? address.status);
  if (verified !== address.verified || status !== address.status) address.updatedAt = now;
  address.verified = verified;
  address.status = status === 'completed' && !verified ? 'pending' : status;
  address.verifiedAt = verified
    ? imported.verified_at
      ? new Date(imported.verified_at)
      : (address.verifiedAt ?? now)
    : null;
}
