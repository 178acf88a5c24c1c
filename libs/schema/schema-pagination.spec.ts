import { describe, expect, it } from 'vitest';
import { encodePageToken, paginationLinkHeader, parsePageRequest } from './schema-pagination.js';

const token = (offset: number) => encodePageToken(offset);

describe('parsePageRequest', () => {
  it('defaults to the first page of 250', () => {
    expect(parsePageRequest({})).toEqual({ page: 0, perPage: 250 });
  });

  it('reads the legacy page/per_page pair', () => {
    expect(parsePageRequest({ page: '2', per_page: '10' })).toEqual({ page: 2, perPage: 10 });
    expect(parsePageRequest({ page: '-3', per_page: '5000' })).toEqual({ page: 0, perPage: 1000 });
    expect(parsePageRequest({ page: 'x', per_page: '0' })).toEqual({ page: 0, perPage: 1 });
  });

  it('switches to tokens when page_token or page_size is present', () => {
    expect(parsePageRequest({ page_size: '2', page_token: token(4), page: '9' })).toEqual({
      page: 2,
      perPage: 2,
    });
    expect(parsePageRequest({ page_token: token(500) })).toEqual({ page: 2, perPage: 250 });
    expect(parsePageRequest({ page_size: '', page_token: 'garbage!' })).toEqual({ page: 0, perPage: 250 });
  });

  it('encodes tokens like ory/x', () => {
    expect(Buffer.from(token(250), 'base64url').toString()).toBe('{"offset":"250","v":2}');
  });
});

describe('paginationLinkHeader', () => {
  const link = (rel: string, size: number, offset: number) =>
    `</schemas?page=${Math.trunc(offset / size)}&page_size=${size}&page_token=${token(offset)}&per_page=${size}>; rel="${rel}"`;

  it('has only "first" (sized to the total) when everything fits', () => {
    expect(paginationLinkHeader('/schemas', 3, 0, 250)).toBe(link('first', 3, 0));
  });

  it('has next and last on the first page', () => {
    expect(paginationLinkHeader('/schemas', 5, 0, 2)).toBe(
      [link('next', 2, 2), link('last', 2, 4)].join(','),
    );
  });

  it('has all four in the middle', () => {
    expect(paginationLinkHeader('/schemas', 7, 1, 2)).toBe(
      [link('first', 2, 0), link('next', 2, 4), link('prev', 2, 0), link('last', 2, 6)].join(','),
    );
  });

  it('has first and prev on the last page', () => {
    expect(paginationLinkHeader('/schemas', 5, 2, 2)).toBe(
      [link('first', 2, 0), link('prev', 2, 2)].join(','),
    );
  });

  it('keeps other query parameters and sorts keys like Go', () => {
    expect(paginationLinkHeader('/schemas?z=1&page_size=1', 1, 0, 1)).toBe(
      `</schemas?page=0&page_size=1&page_token=${token(0)}&per_page=1&z=1>; rel="first"`,
    );
  });
});
