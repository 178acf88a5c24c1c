import { ApiError } from '../errors/index.js';

type Query = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * Offset pages for session lists: `page`/`per_page`, or `page_token`/`page_size` where the token
 * is Kratos' unpadded base64url of `{"offset":"<n>","v":2}`.
 */
export function pageParams(query: Query, max = 1000): { pageSize: number; offset: number } {
  const size = Number(one(query['page_size']) ?? one(query['per_page']) ?? 250);
  if (!Number.isInteger(size) || size < 1 || size > max) {
    throw new ApiError(400, { reason: `The page size must be an integer between 1 and ${max}.` });
  }
  const token = one(query['page_token']);
  if (token) {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: string };
      const offset = Number(parsed.offset);
      if (!Number.isSafeInteger(offset) || offset < 0) throw new Error('bad offset');
      return { pageSize: size, offset };
    } catch {
      throw new ApiError(400, { reason: 'The page token is invalid, do not craft your own page tokens' });
    }
  }
  const page = Number(one(query['page']) ?? 0);
  // 1e308 is an integer to JavaScript and an overflow to the database: only exact offsets pass.
  if (!Number.isSafeInteger(page) || page < 0 || !Number.isSafeInteger(page * size))
    throw new ApiError(400, { reason: 'The page must be a non-negative integer.' });
  return { pageSize: size, offset: page * size };
}
