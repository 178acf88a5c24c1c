import { type RecoveryAddressEntity, type VerifiableAddressEntity } from './address.entity.js';
import { type CredentialEntity, type CredentialsType } from './credential.entity.js';
import { type IdentityEntity } from './identity.entity.js';

export interface IdentityView {
  /** Admin views carry `metadata_admin` and the credentials map. */
  admin: boolean;
  /** Credential types whose config the caller asked for with `include_credential`. */
  includeCredentials?: readonly string[];
  /** The config of a named credential as it is exported (credential-export.ts). */
  exportConfig?: (credential: CredentialEntity) => Record<string, unknown>;
}

function credentialJson(
  credential: CredentialEntity,
  exportConfig: ((credential: CredentialEntity) => Record<string, unknown>) | undefined,
) {
  return {
    type: credential.type,
    identifiers: (credential.identifiers ?? []).map((i) => i.identifier).sort(),
    version: credential.version,
    created_at: credential.createdAt.toISOString(),
    updated_at: credential.updatedAt.toISOString(),
    ...(exportConfig ? { config: exportConfig(credential) } : {}),
  };
}

export function verifiableAddressJson(address: VerifiableAddressEntity) {
  return {
    id: address.id,
    value: address.value,
    verified: address.verified,
    via: address.via,
    status: address.status,
    ...(address.verifiedAt ? { verified_at: address.verifiedAt.toISOString() } : {}),
    created_at: address.createdAt.toISOString(),
    updated_at: address.updatedAt.toISOString(),
  };
}

export function recoveryAddressJson(address: RecoveryAddressEntity) {
  return {
    id: address.id,
    value: address.value,
    via: address.via,
    created_at: address.createdAt.toISOString(),
    updated_at: address.updatedAt.toISOString(),
  };
}

const byCreation = <T extends { createdAt: Date; id: string }>(a: T, b: T) =>
  a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);

/** The contract's `identity` object, field for field. */
export function identityJson(identity: IdentityEntity, schemaUrl: string, view: IdentityView) {
  const credentials = identity.credentials ?? [];
  const verifiable = [...(identity.verifiableAddresses ?? [])].sort(byCreation);
  const recovery = [...(identity.recoveryAddresses ?? [])].sort(byCreation);
  const credentialMap: Partial<Record<CredentialsType, ReturnType<typeof credentialJson>>> = {};
  for (const credential of [...credentials].sort((a, b) => a.type.localeCompare(b.type))) {
    const named = view.admin && view.includeCredentials?.includes(credential.type);
    credentialMap[credential.type] = credentialJson(credential, named ? view.exportConfig : undefined);
  }
  return {
    id: identity.id,
    ...(view.admin && credentials.length > 0 ? { credentials: credentialMap } : {}),
    schema_id: identity.schemaId,
    schema_url: schemaUrl,
    state: identity.state,
    ...(identity.stateChangedAt ? { state_changed_at: identity.stateChangedAt.toISOString() } : {}),
    traits: identity.traits,
    ...(verifiable.length > 0 ? { verifiable_addresses: verifiable.map(verifiableAddressJson) } : {}),
    ...(recovery.length > 0 ? { recovery_addresses: recovery.map(recoveryAddressJson) } : {}),
    metadata_public: identity.metadataPublic ?? null,
    ...(view.admin && identity.metadataAdmin != null ? { metadata_admin: identity.metadataAdmin } : {}),
    created_at: identity.createdAt.toISOString(),
    updated_at: identity.updatedAt.toISOString(),
    organization_id: identity.organizationId ?? null,
    ...(identity.externalId ? { external_id: identity.externalId } : {}),
  };
}

export type IdentityJson = ReturnType<typeof identityJson>;
