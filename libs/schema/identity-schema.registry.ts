import { Inject, Injectable } from '@nestjs/common';
import {
  type IdentitySchemaConfigEntry,
  type IdentitySchemaOptions,
  type JsonObject,
  type LoadedIdentitySchema,
} from './identity-schema.types.js';
import { parseIdentitySchema } from './schema-extension.js';
import { readSchemaSource, SchemaSourceError } from './schema-source.js';
import { identitySchemaProblems } from './schema-structure.js';
import { SchemaLoadError, UnknownIdentitySchemaError } from './schema.errors.js';
import { compileTraitValidator, type TraitValidationResult, type TraitValidator } from './trait-validator.js';

/** Injection token of the {@link IdentitySchemaOptions} the application supplies. */
export const IDENTITY_SCHEMA_OPTIONS = Symbol('IDENTITY_SCHEMA_OPTIONS');

interface Entry {
  schema: LoadedIdentitySchema;
  validate: TraitValidator;
}

/** The configured identity schemas, read and compiled once at startup. */
@Injectable()
export class IdentitySchemaRegistry {
  private entries = new Map<string, Entry>();
  private loaded = false;

  constructor(@Inject(IDENTITY_SCHEMA_OPTIONS) private readonly options: IdentitySchemaOptions) {}

  /** Reads every configured schema; any broken one fails the whole load with a SchemaLoadError. */
  async load(): Promise<void> {
    this.checkOptions();
    const results = await Promise.allSettled(this.options.schemas.map((entry) => this.loadOne(entry)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const entries = results.map((r) => (r as PromiseFulfilledResult<Entry>).value);
    this.entries = new Map(entries.map((entry) => [entry.schema.id, entry]));
    this.loaded = true;
  }

  has(id: string): boolean {
    return this.ready().has(id);
  }

  /** The schema with this id, or undefined. */
  find(id: string): LoadedIdentitySchema | undefined {
    return this.ready().get(id)?.schema;
  }

  /** The schema with this id; throws UnknownIdentitySchemaError otherwise. */
  get(id: string): LoadedIdentitySchema {
    return this.entry(id).schema;
  }

  getDefault(): LoadedIdentitySchema {
    return this.get(this.options.defaultSchemaId);
  }

  /** All schemas in configuration order. */
  list(): LoadedIdentitySchema[] {
    return [...this.ready().values()].map((entry) => entry.schema);
  }

  /**
   * Whether self-service flows may use this schema via `identity_schema=<id>`: the default always,
   * others only with `selfservice_selectable: true`.
   */
  isSelectable(id: string): boolean {
    if (!this.has(id)) return false;
    return id === this.options.defaultSchemaId || this.get(id).selfserviceSelectable;
  }

  /** Validates a traits object against the schema's JSON Schema (with its implied formats). */
  validateTraits(schemaId: string, traits: unknown): TraitValidationResult {
    return this.entry(schemaId).validate(traits);
  }

  private entry(id: string): Entry {
    const entry = this.ready().get(id);
    if (!entry) throw new UnknownIdentitySchemaError(id);
    return entry;
  }

  private ready(): Map<string, Entry> {
    if (!this.loaded) throw new Error('IdentitySchemaRegistry.load() has not completed');
    return this.entries;
  }

  private checkOptions(): void {
    const { schemas, defaultSchemaId } = this.options;
    const seen = new Set<string>();
    for (const { id } of schemas) {
      if (seen.has(id)) throw new SchemaLoadError(id, 'the id is configured more than once');
      seen.add(id);
    }
    if (!seen.has(defaultSchemaId)) {
      throw new SchemaLoadError(
        defaultSchemaId,
        'identity.default_schema_id names no schema in identity.schemas',
      );
    }
  }

  private async loadOne(config: IdentitySchemaConfigEntry): Promise<Entry> {
    const where = `(url ${displayUrl(config.url)})`;
    try {
      const raw = parseJson(await readSchemaSource(config.url, this.options.baseDir));
      const problems = identitySchemaProblems(raw);
      if (problems.length > 0) throw new InvalidSchema(problems.join('; '));
      // Frozen because fields and the served document share these objects with every caller.
      const doc = deepFreeze(raw as JsonObject);
      const validate = compile(doc);
      const schema: LoadedIdentitySchema = {
        id: config.id,
        url: config.url,
        raw: doc,
        selfserviceSelectable: config.selfserviceSelectable === true,
        ...parseIdentitySchema(doc),
      };
      return { schema, validate };
    } catch (error) {
      const reason =
        error instanceof SchemaSourceError || error instanceof InvalidSchema
          ? error.message
          : `unexpected failure: ${String(error)}`;
      throw new SchemaLoadError(config.id, `${reason} ${where}`, { cause: error });
    }
  }
}

/** The bytes were read but are no usable identity schema. */
class InvalidSchema extends Error {}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidSchema(`not valid JSON: ${(error as Error).message}`);
  }
}

function compile(doc: JsonObject): TraitValidator {
  try {
    return compileTraitValidator(doc);
  } catch (error) {
    throw new InvalidSchema(`not a usable JSON Schema: ${(error as Error).message}`);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// base64:// URLs carry the whole schema; an error line needs only the start of it.
function displayUrl(url: string): string {
  return url.length > 80 ? `${url.slice(0, 40)}... (${url.length} characters)` : url;
}
