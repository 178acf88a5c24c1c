export { IDENTITY_SCHEMA_OPTIONS, IdentitySchemaRegistry } from './identity-schema.registry.js';
export {
  ADDRESS_VIA,
  CREDENTIAL_IDENTIFIER_TYPES,
  type AddressVia,
  type CredentialIdentifierType,
  type IdentitySchemaConfigEntry,
  type IdentitySchemaOptions,
  type JsonObject,
  type KratosExtension,
  type LoadedIdentitySchema,
  type ParsedIdentitySchema,
  type SchemaNode,
  type TraitAddress,
  type TraitField,
} from './identity-schema.types.js';
export { normalizeIdentifier } from './identifier-normalizer.js';
export { KRATOS_EXTENSION_KEY, parseIdentitySchema } from './schema-extension.js';
export { decodeSchemaId, encodeSchemaId, identitySchemaUrl } from './schema-id.js';
export { MAX_SCHEMA_BYTES, readSchemaSource, SchemaSourceError } from './schema-source.js';
export { identitySchemaProblems } from './schema-structure.js';
export { SchemaLoadError, UnknownIdentitySchemaError } from './schema.errors.js';
export { SchemaController } from './schema.controller.js';
export { SchemaModule, type SchemaModuleOptions } from './schema.module.js';
export { IdentitySchemaContainer, SCHEMA_OPENAPI_SCHEMAS } from './schema.response.dto.js';
export {
  codeAddresses,
  credentialIdentifiers,
  identifierFields,
  passkeyDisplayName,
  recoveryAddresses,
  totpAccountName,
  traitValue,
  verifiableAddresses,
} from './trait-extraction.js';
export {
  TRAIT_LABEL_TEXT_ID,
  traitNodes,
  type TraitInputType,
  type TraitNode,
  type TraitNodeAttributes,
  type TraitNodeLabel,
} from './trait-nodes.js';
export {
  compileTraitValidator,
  type TraitValidationError,
  type TraitValidationResult,
  type TraitValidator,
} from './trait-validator.js';
