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
      /** Sealed with `secrets.cipher` under `oidc:<identity id>`; set by the OIDC strategy only. */
      initial_id_token?: string;
      initial_access_token?: string;
      initial_refresh_token?: string;
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

/**
 * A credential a self-service strategy built itself (WebAuthn keys, passkeys): stored as given,
 * with its own login identifiers. Never accepted from the admin API.
 */
export interface BuiltCredential {
  type: 'webauthn' | 'passkey';
  config: Record<string, unknown>;
  identifiers: string[];
}

/** What admin create/update hand to the identity service (already shape-checked). */
export interface IdentityInput {
  /**
   * Chosen by a self-service strategy that seals secrets under the identity id before the
   * identity exists (OIDC tokens); the admin API never sets it.
   */
  id?: string;
  schemaId: string;
  traits: unknown;
  state?: IdentityState;
  metadataPublic?: unknown;
  metadataAdmin?: unknown;
  externalId?: string | null;
  organizationId?: string | null;
  credentials?: CredentialsImport;
  builtCredentials?: BuiltCredential[];
  verifiableAddresses?: VerifiableAddressImport[];
  recoveryAddresses?: { value: string; via: AddressVia }[];
}
