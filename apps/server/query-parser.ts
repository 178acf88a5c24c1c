import { parse } from 'node:querystring';

/** The query parameters Kratos' contract declares as arrays (`ids`, `include_credential`, `expand`). */
const MULTI_VALUED = new Set(['ids', 'include_credential', 'expand']);

export type ParsedQuery = Record<string, string | string[]>;

/**
 * Express' query parser. A parameter given more than once counts with its first value, as Kratos
 * reads it (Go's `url.Values.Get`), so that handlers see the string they expect and
 * `?aal=aal2&aal=x` cannot reach them as an array; only the contract's array parameters keep
 * every value.
 */
export function parseQuery(search: string): ParsedQuery {
  const parsed = parse(search);
  const query: ParsedQuery = Object.create(null) as ParsedQuery;
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    query[name] = Array.isArray(value) && !MULTI_VALUED.has(name) ? value[0]! : value;
  }
  return query;
}
