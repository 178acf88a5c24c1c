/** A JSON object as parsed from a schema document or a traits payload. */
export type JsonObject = Record<string, unknown>;

/** One node of a JSON Schema document (draft-07). */
export type SchemaNode = Record<string, unknown>;

export const ADDRESS_VIA = { email: 'email', sms: 'sms' } as const;
export type AddressVia = (typeof ADDRESS_VIA)[keyof typeof ADDRESS_VIA];

export const CREDENTIAL_IDENTIFIER_TYPES = ['password', 'webauthn', 'code', 'passkey', 'totp'] as const;
export type CredentialIdentifierType = (typeof CREDENTIAL_IDENTIFIER_TYPES)[number];

/** The `ory.sh/kratos` keyword of one schema property (shape of identity_extension.schema.json). */
export interface KratosExtension {
  credentials?: {
    password?: { identifier?: boolean };
    webauthn?: { identifier?: boolean };
    passkey?: { display_name?: boolean };
    totp?: { account_name?: boolean };
    code?: { identifier?: boolean; via?: AddressVia };
  };
  verification?: { via?: AddressVia };
  recovery?: { via?: AddressVia };
  organizations?: { matcher?: 'email_domain' };
}

/** A leaf property under `properties.traits`, nested objects flattened with dots. */
export interface TraitField {
  /** Dotted path relative to `traits`, e.g. `name.first`. */
  readonly path: string;
  readonly segments: readonly string[];
  /** The leaf's schema node (local `$ref`s resolved), as written in the document. */
  readonly schema: SchemaNode;
  /** Listed in the parent object's `required`. */
  readonly required: boolean;
  /** `ory.sh/kratos` of the leaf, merged with the one on `items` for arrays; `{}` when absent. */
  readonly extension: KratosExtension;
}

/** What the pure helpers (extraction, node generation) need from a schema. */
export interface ParsedIdentitySchema {
  /** Leaves in document order. */
  readonly fields: readonly TraitField[];
}

export interface IdentitySchemaConfigEntry {
  id: string;
  url: string;
  selfserviceSelectable?: boolean;
}

export interface IdentitySchemaOptions {
  defaultSchemaId: string;
  schemas: IdentitySchemaConfigEntry[];
  /** Folder that `file://relative/path` URLs are resolved against. */
  baseDir: string;
}

export interface LoadedIdentitySchema extends ParsedIdentitySchema {
  readonly id: string;
  readonly url: string;
  /** The parsed document, served as-is by `GET /schemas/{id}`. */
  readonly raw: JsonObject;
  readonly selfserviceSelectable: boolean;
}

export interface TraitAddress {
  value: string;
  via: AddressVia;
}
