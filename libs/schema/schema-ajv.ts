import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { stripPhoneSeparators } from './identifier-normalizer.js';

// ajv-formats ships CommonJS; under nodenext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const E164_ISH = /^\+?[1-9]\d{6,14}$/;

/** Kratos' `tel` format, approximated without a phone-number database. */
export function isTel(value: string): boolean {
  return E164_ISH.test(stripPhoneSeparators(value));
}

/**
 * An Ajv set up like Kratos' validator: draft-07, every error reported, unknown keywords
 * (`ory.sh/kratos`, `disableFormField`) ignored, plus the `tel` and `no-validate` formats.
 * One instance per schema, because the quickstart schemas all reuse the same `$id`.
 */
export function createIdentityAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
  addFormats(ajv);
  ajv.addFormat('tel', { type: 'string', validate: isTel });
  ajv.addFormat('no-validate', true);
  return ajv;
}

/** `/a/b~1c` → `['a', 'b/c']`. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function toPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** One readable line per Ajv error, for load-time messages aimed at operators. */
export function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath;
  const params = error.params as Record<string, unknown>;
  let detail = '';
  if (typeof params['additionalProperty'] === 'string') detail = ` ("${params['additionalProperty']}")`;
  if (Array.isArray(params['allowedValues'])) detail = ` (${JSON.stringify(params['allowedValues'])})`;
  return `${where} ${error.message ?? 'is invalid'}${detail}`;
}
