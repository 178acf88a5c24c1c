import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ApiError } from './error-envelope.js';

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => text.replace(error.property, path));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Decodes a JSON body strictly into a DTO class: wrong types and unknown fields are a 400 that
 * names each offending field, as Kratos' strict decoder does.
 */
export function parseBody<T extends object>(dto: new () => T, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, { reason: 'The request body must be a JSON object.' });
  }
  const instance = plainToInstance(dto, body);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const problems = flatten(errors);
    throw new ApiError(400, { reason: problems.join('; '), details: { problems } });
  }
  return instance;
}
