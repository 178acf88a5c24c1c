import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { configProblems } from './config-problems.js';
import { type SchemaNode } from './schema-walk.js';

// ajv-formats ships CommonJS; under nodenext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/**
 * Compiled once per start: shared definitions stay functions and the optimiser is skipped, which
 * halves the start-up cost of this 125 KB schema; validation speed does not matter here. The
 * built server does not compile at all: `scripts/bundle.js` compiles the same schema with these
 * options at build time and puts that code in place of this module.
 */
export const CONFIG_AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  logger: false,
  validateSchema: false,
  inlineRefs: false,
  code: { optimize: false },
};

export function configAjv(options: Options = CONFIG_AJV_OPTIONS): Ajv {
  const ajv = new Ajv(options);
  addFormats(ajv);
  return ajv;
}

/** Compiles the config schema and reports problems one line per key. */
export function createConfigValidator(schema: SchemaNode): (config: unknown) => string[] {
  const validate = configAjv().compile(schema);
  return (config) => configProblems(validate, config);
}
