import { DomainError } from '../errors/index.js';

/** A configured identity schema could not be read, parsed or compiled; startup must stop. */
export class SchemaLoadError extends Error {
  override readonly name = 'SchemaLoadError';

  constructor(
    readonly schemaId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`identity schema "${schemaId}" cannot be loaded: ${reason}`, options);
  }
}

/** An id that no configured identity schema carries. */
export class UnknownIdentitySchemaError extends DomainError {
  constructor(readonly schemaId: string) {
    super('invalid', `Unable to find JSON Schema ID: ${schemaId}`);
  }
}
