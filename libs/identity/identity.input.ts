import { type AddressVia, type VerifiableAddressStatus } from './address.entity.js';
import { type IdentityState } from './identity.entity.js';

export interface PasswordImport {
  config?: { password?: string; hashed_password?: string; use_password_migration_hook?: boolean };
}

export interface ProviderImport {
  config?: {
    providers?: {
      provider: string;
      subject: string;
      use_auto_link?: boolean;
      organization?: string | null;
    }[];
  };
}

export interface CredentialsImport {
  password?: PasswordImport;
  oidc?: ProviderImport;
  saml?: ProviderImport;
}

export interface VerifiableAddressImport {
  value: string;
  via: AddressVia;
  verified?: boolean;
  status?: VerifiableAddressStatus;
  verified_at?: string | null;
}

/** What admin create/update hand to the identity service (already shape-checked). */
export interface IdentityInput {
  schemaId: string;
  traits: unknown;
  state?: IdentityState;
  metadataPublic?: unknown;
  metadataAdmin?: unknown;
  externalId?: string | null;
  organizationId?: string | null;
  credentials?: CredentialsImport;
  verifiableAddresses?: VerifiableAddressImport[];
  recoveryAddresses?: { value: string; via: AddressVia }[];
}
