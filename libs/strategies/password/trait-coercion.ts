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
    if (!parent) continue;
    const items = field.schema['items'];
    if (Array.isArray(value) && typeof items === 'object' && items !== null && !Array.isArray(items)) {
      // A form sends an array trait as the field repeated; each value is read as `items` declares.
      const itemTypes = typesOf((items as Record<string, unknown>)['type']);
      parent[key] = value.map((item) =>
        typeof item === 'string' ? (coerced(item, itemTypes) ?? item) : item,
      );
      continue;
    }
    if (typeof value !== 'string') continue;
    const types = typesOf(field.schema['type']);
    const converted = coerced(value, types);
    if (converted !== undefined) parent[key] = converted;
    else if (value === '' && !types.includes('string')) delete parent[key];
  }
  return out;
}

function typesOf(type: unknown): unknown[] {
  return ([] as unknown[]).concat(type ?? []);
}

/** A form's string as the boolean or number the schema declares; undefined: leave it as it is. */
function coerced(value: string, types: unknown[]): boolean | number | undefined {
  if (types.includes('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (
    (types.includes('number') || types.includes('integer')) &&
    value.trim() !== '' &&
    Number.isFinite(Number(value))
  )
    return Number(value);
  return undefined;
}
