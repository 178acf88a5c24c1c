import { type ErrorObject } from 'ajv';

/** What a compiled config validator is: ajv's at run time, or the one compiled into the bundle. */
export interface ConfigValidateFunction {
  (config: unknown): boolean;
  errors?: ErrorObject[] | null;
}

function describe(error: ErrorObject, data: unknown): string {
  const segments = error.instancePath.split('/').slice(1).map(decodePointer);
  let key = segments.join('.');
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') {
    key = [...segments, String(error.params['missingProperty'])].join('.');
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    key = [...segments, String(error.params['additionalProperty'])].join('.');
    message = 'is not a known key';
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const got = valueAt(data, segments);
  const shown = got === undefined || error.keyword === 'required' ? '' : ` (got ${JSON.stringify(got)})`;
  return `${key || '(root)'}: ${message}${shown}`;
}

function decodePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function valueAt(data: unknown, segments: string[]): unknown {
  let cursor = data;
  for (const segment of segments) cursor = (cursor as Record<string, unknown> | undefined)?.[segment];
  return typeof cursor === 'object' ? undefined : cursor;
}

/** Runs the validator and reports problems one line per key. */
export function configProblems(validate: ConfigValidateFunction, config: unknown): string[] {
  if (validate(config)) return [];
  const noise = new Set(['oneOf', 'anyOf', 'if', 'not', 'const']);
  const errors = validate.errors ?? [];
  const specific = errors.filter((error) => !noise.has(error.keyword));
  const lines = (specific.length > 0 ? specific : errors).map((error) => describe(error, config));
  return [...new Set(lines)];
}
