import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiParam, ApiQuery } from '@nestjs/swagger';

/** Documents the `Cookie` header a browser sends its session (and CSRF) cookie in. */
export const ApiCookieHeader = () =>
  ApiHeader({
    name: 'Cookie',
    required: false,
    description:
      'HTTP cookies, including the session cookie. When calling from a server-side application, ' +
      'forward the Cookie header of the original request; other cookies are ignored.',
    schema: { type: 'string' },
  });

/** Documents the header native apps send their session token in. */
export const ApiSessionTokenHeader = () =>
  ApiHeader({
    name: 'X-Session-Token',
    required: false,
    description: 'The session token, for non-browser clients.',
    schema: { type: 'string' },
  });

/** Documents both ways a request carries a session, as `SessionTransport.tokenFrom` reads them. */
export const ApiSessionHeaders = () => applyDecorators(ApiSessionTokenHeader(), ApiCookieHeader());

export const ApiSessionIdParam = () =>
  ApiParam({ name: 'id', description: "The session's ID.", schema: { type: 'string' } });

export const ApiIdentityIdParam = () =>
  ApiParam({ name: 'id', description: "The identity's ID.", schema: { type: 'string' } });

const integer = (name: string, description: string, maximum?: number) =>
  ApiQuery({
    name,
    required: false,
    description,
    schema: {
      type: 'integer',
      format: 'int64',
      ...(maximum ? { default: 250, minimum: 1, maximum } : { minimum: 0 }),
    },
  });

const DEPRECATED = 'DEPRECATED: Please use `page_token` instead.';

/**
 * Documents the pages `pageParams` reads. The contract lists `per_page`/`page` for the per-identity
 * lists only, and caps their page size at 500; `pageParams` accepts up to 1000 everywhere.
 */
export const ApiSessionPageQuery = (options: { maxPageSize: 500 | 1000; deprecatedPages: boolean }) =>
  applyDecorators(
    ...(options.deprecatedPages
      ? [
          integer('per_page', `Deprecated Items per Page\n\n${DEPRECATED}`, 1000),
          integer('page', `Deprecated Pagination Page\n\n${DEPRECATED}`),
        ]
      : []),
    integer('page_size', 'Items per Page', options.maxPageSize),
    ApiQuery({
      name: 'page_token',
      required: false,
      description: 'Next Page Token, from the `Link` header of the previous page.',
      schema: { type: 'string' },
    }),
  );

/** Documents `active` as `activeFilter` reads it: `true` or `false`, anything else is a 400. */
export const ApiActiveQuery = () =>
  ApiQuery({
    name: 'active',
    required: false,
    description: 'Only active (true) or inactive (false) sessions; all when left out.',
    schema: { type: 'boolean' },
  });

/**
 * Documents `expand` as `expandOf` reads it: repeated or comma-separated, in any case, unknown
 * values are a 400.
 */
export const ApiExpandQuery = () =>
  ApiQuery({
    name: 'expand',
    required: false,
    description: 'The properties of the session to include in full; left out (null) otherwise.',
    schema: { type: 'array', items: { type: 'string', enum: ['identity', 'devices'] } },
  });
