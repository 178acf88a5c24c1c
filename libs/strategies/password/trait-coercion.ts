import { type LoadedIdentitySchema } from '../../schema/index.js';

/**
 * HTML forms send every trait as a string; turn "true", "42" into what the schema declares, so
 * a form post and a JSON post of the same data validate the same.
 */
export function coerceTraits(
  schema: LoadedIdentitySchema,
  traits: Record<string, unknown>,
): Record<string, unknown> {
  const out = structuredClone(traits);
  for (const field of schema.fields) {
    const parent = field.segments
      .slice(0, -1)
      .reduce<Record<string, unknown> | undefined>(
        (cursor, segment) =>
          cursor && typeof cursor[segment] === 'object'
            ? (cursor[segment] as Record<string, unknown>)
            : undefined,
        out,
      );
    const key = field.segments.at(-1)!;
    const value = parent?.[key];
    if (!parent || typeof value !== 'string') continue;
    const types = ([] as unknown[]).concat(field.schema['type'] ?? []);
    if (types.includes('boolean') && (value === 'true' || value === 'false')) parent[key] = value === 'true';
    else if (
      (types.includes('number') || types.includes('integer')) &&
      value.trim() !== '' &&
      Number.isFinite(Number(value))
    ) {
      parent[key] = Number(value);
    } else if (value === '' && !types.includes('string')) delete parent[key];
  }
  return out;
}
