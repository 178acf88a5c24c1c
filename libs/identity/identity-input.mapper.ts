import { type CreateIdentityBody, type UpdateIdentityBody } from './identity.dto.js';
import { type IdentityInput } from './identity.input.js';

export function createInput(body: CreateIdentityBody): IdentityInput {
  return {
    schemaId: body.schema_id,
    traits: body.traits,
    state: body.state,
    metadataPublic: body.metadata_public,
    metadataAdmin: body.metadata_admin,
    externalId: body.external_id,
    organizationId: body.organization_id,
    credentials: body.credentials,
    verifiableAddresses: body.verifiable_addresses,
    recoveryAddresses: body.recovery_addresses,
  };
}

export function updateInput(body: UpdateIdentityBody): IdentityInput {
  return {
    schemaId: body.schema_id ?? '',
    traits: body.traits,
    state: body.state,
    metadataPublic: body.metadata_public,
    metadataAdmin: body.metadata_admin,
    externalId: body.external_id,
    credentials: body.credentials,
  };
}
