import { type ErrorObject } from 'ajv';
import { type JsonObject } from './identity-schema.types.js';
import { createIdentityAjv, pointerSegments, toPointer } from './schema-ajv.js';
import { validationSchema } from './schema-structure.js';
import { traitValue } from './trait-extraction.js';

export interface TraitValidationError {
  /** Dotted, rooted at `traits`: `traits.name.first`; also the UI node name for scalar leaves. */
  path: string;
  /** JSON pointer into the identity document: `/traits/name/first`. */
  pointer: string;
  /** The JSON Schema keyword that failed (`required`, `format`, `minLength`, …). */
  keyword: string;
  message: string;
  /** Ajv's params for the keyword (`missingProperty`, `limit`, `format`, …). */
  params: Record<string, unknown>;
  /** The offending value; absent for `required`. */
  value?: unknown;
}

export type TraitValidationResult = { ok: true } | { ok: false; errors: TraitValidationError[] };

export type TraitValidator = (traits: unknown) => TraitValidationResult;

// Ajv adds an `if` error beside the specific `then`/`else` failure; it carries no information.
const NOISE = new Set(['if']);

/** Compiles the document for validating `{ traits }`; throws Ajv's error for a broken schema. */
export function compileTraitValidator(raw: JsonObject): TraitValidator {
  const validate = createIdentityAjv().compile(validationSchema(raw));
  return (traits) => {
    if (typeof traits !== 'object' || traits === null || Array.isArray(traits)) {
      return { ok: false, errors: [notAnObject(traits)] };
    }
    const document = { traits };
    if (validate(document)) return { ok: true };
    const errors = (validate.errors ?? [])
      .filter((e) => !NOISE.has(e.keyword))
      .map((e) => toTraitError(e, document));
    return { ok: false, errors };
  };
}

function notAnObject(traits: unknown): TraitValidationError {
  const actual = traits === null ? 'null' : Array.isArray(traits) ? 'array' : typeof traits;
  return {
    path: 'traits',
    pointer: '/traits',
    keyword: 'type',
    message: `traits must be an object, but got ${actual}`,
    params: { type: 'object' },
    value: traits,
  };
}

function toTraitError(error: ErrorObject, document: JsonObject): TraitValidationError {
  const params = { ...(error.params as Record<string, unknown>) };
  const segments = pointerSegments(error.instancePath);
  const missing = params['missingProperty'];
  if (typeof missing === 'string') {
    // Point at the missing property, where the form shows the message, not at its parent.
    segments.push(missing);
    return {
      path: segments.join('.'),
      pointer: toPointer(segments),
      keyword: error.keyword,
      message: `Property ${missing} is missing.`,
      params,
    };
  }
  return {
    path: segments.join('.'),
    pointer: toPointer(segments),
    keyword: error.keyword,
    message: error.message ?? 'is invalid',
    params,
    value: traitValue(document, segments),
  };
}
