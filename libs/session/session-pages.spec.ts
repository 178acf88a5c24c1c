import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import { pageParams } from './session-pages.js';

const token = (offset: string) => Buffer.from(JSON.stringify({ offset, v: 2 })).toString('base64url');

function status(query: Record<string, string>): number | undefined {
  try {
    pageParams(query);
    return undefined;
  } catch (error) {
    return (error as ApiError).code;
  }
}

describe('pageParams', () => {
  it('reads page tokens and page numbers as offsets', () => {
    expect(pageParams({ page_token: token('500'), page_size: '50' })).toEqual({ pageSize: 50, offset: 500 });
    expect(pageParams({ page: '3', per_page: '10' })).toEqual({ pageSize: 10, offset: 30 });
  });

  it('refuses offsets the database cannot hold with a 400, not a 500 from SQL', () => {
    expect(status({ page: '1e308' })).toBe(400);
    expect(status({ page: String(2 ** 53) })).toBe(400);
    expect(status({ page: String(2 ** 50), per_page: '1000' })).toBe(400);
    expect(status({ page_token: token('1e308') })).toBe(400);
    expect(status({ page_token: token('Infinity') })).toBe(400);
  });
});
