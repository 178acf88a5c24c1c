/** Kratos' "migration" pagination defaults for `GET /schemas`. */
export const DEFAULT_PAGE_SIZE = 250;
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  page: number;
  perPage: number;
}

type Query = Record<string, unknown>;

const INTEGER = /^[+-]?\d+$/;

function first(query: Query, key: string): string | undefined {
  const value = query[key];
  const scalar = Array.isArray(value) ? value[0] : value;
  return typeof scalar === 'string' ? scalar : undefined;
}

function integer(value: string | undefined): number | undefined {
  return value !== undefined && INTEGER.test(value) ? Number.parseInt(value, 10) : undefined;
}

function clampSize(size: number): number {
  return Math.max(1, Math.min(MAX_PAGE_SIZE, size));
}

/**
 * Parses `page`/`per_page` or, when either token parameter is present, `page_token`/`page_size`.
 * Like Kratos, malformed values fall back to defaults instead of failing the request.
 */
export function parsePageRequest(query: Query): PageRequest {
  if ('page_token' in query || 'page_size' in query) {
    const perPage = clampSize(integer(first(query, 'page_size')) ?? DEFAULT_PAGE_SIZE);
    const offset = decodePageToken(first(query, 'page_token') ?? '');
    return { page: offset > 0 ? Math.floor(offset / perPage) : 0, perPage };
  }
  const perPage = clampSize(integer(first(query, 'per_page')) ?? DEFAULT_PAGE_SIZE);
  return { page: Math.max(0, integer(first(query, 'page')) ?? 0), perPage };
}

/** `base64url({"offset":"<n>","v":2})`, the token format of ory/x tokenpagination. */
export function encodePageToken(offset: number): string {
  return Buffer.from(`{"offset":"${offset}","v":2}`).toString('base64url');
}

function decodePageToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    const offset = Math.trunc(Number(parsed.offset));
    return Number.isFinite(offset) ? offset : 0;
  } catch {
    return 0;
  }
}

/**
 * The `Link` header value Kratos sends for migration pagination (ory/x `HeaderWithFormatter`),
 * edge cases included. `requestUrl` is the request's path and query.
 */
export function paginationLinkHeader(
  requestUrl: string,
  total: number,
  page: number,
  perPage: number,
): string {
  const size = perPage <= 0 ? 1 : perPage;
  const offset = page * size;
  const lastOffset = total % size === 0 ? total - size : Math.floor(total / size) * size;
  const link = (rel: string, itemsPerPage: number, at: number) => pageLink(requestUrl, rel, itemsPerPage, at);
  const step = Math.trunc(offset / size);
  if (offset >= lastOffset) {
    if (total === 0) {
      return [
        link('first', size, 0),
        link('next', size, (step + 1) * size),
        link('prev', size, (step - 1) * size),
      ].join(',');
    }
    if (total <= size) return link('first', total, 0);
    return [link('first', size, 0), link('prev', size, lastOffset - size)].join(',');
  }
  if (offset < size) return [link('next', size, size), link('last', size, lastOffset)].join(',');
  return [
    link('first', size, 0),
    link('next', size, (step + 1) * size),
    link('prev', size, (step - 1) * size),
    link('last', size, lastOffset),
  ].join(',');
}

function pageLink(requestUrl: string, rel: string, itemsPerPage: number, offset: number): string {
  const url = new URL(requestUrl, 'http://placeholder.invalid');
  const query = url.searchParams;
  query.set('page_size', String(itemsPerPage));
  query.set('page_token', encodePageToken(offset));
  query.set('per_page', String(itemsPerPage));
  query.set('page', String(Math.trunc(offset / itemsPerPage)));
  // Go's url.Values.Encode sorts by key.
  query.sort();
  return `<${url.pathname}?${query.toString()}>; rel="${rel}"`;
}
