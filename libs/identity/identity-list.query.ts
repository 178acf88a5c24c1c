import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { ApiError } from '../errors/index.js';
import { assertQueryText, isUuid } from '../persistence/index.js';
import { normalizeIdentifier } from '../schema/index.js';
import { CredentialsType } from './credential.entity.js';
import { type IdentityPageQuery } from './identity.repository.js';

/** identity_credential_identifiers.identifier and identities.external_id are varchar(255). */
export const IDENTIFIER_LENGTH = 255;

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const CREDENTIAL_TYPES = new Set<string>(Object.values(CredentialsType));

type Query = Record<string, string | string[] | undefined>;

const many = (value: string | string[] | undefined): string[] =>
  value === undefined
    ? []
    : (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).filter(Boolean);

const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function integer(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ApiError(400, {
      reason: `The ${name} parameter must be an integer between ${min} and ${max}.`,
    });
  }
  return n;
}

/** `include_credential=password&include_credential=oidc`; unknown types are a 400. */
export function parseIncludeCredential(query: Query): string[] {
  const types = many(query['include_credential']);
  const unknown = types.find((type) => !CREDENTIAL_TYPES.has(type));
  if (unknown) throw new ApiError(400, { reason: `The credential type "${unknown}" is not known.` });
  return types;
}

/** Documents `include_credential` as `parseIncludeCredential` reads it. */
export const ApiIncludeCredentialQuery = () =>
  ApiQuery({
    name: 'include_credential',
    required: false,
    description:
      'Include the whole configuration of these credential types, secrets included (password hash, ' +
      'TOTP URL, backup codes), to export identities. Never sent without this parameter.',
    schema: { type: 'array', items: { type: 'string', enum: [...CREDENTIAL_TYPES] } },
  });

const DEPRECATED = 'DEPRECATED: Please use `page_token` instead.';
const string = (name: string, description: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'string' } });

/** Documents listIdentities' query as `parseListQuery` reads it, names and types as in the contract. */
export const ApiListIdentitiesQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'per_page',
      required: false,
      description: `Deprecated Items per Page\n\n${DEPRECATED}`,
      // The contract allows 1000; parseListQuery caps both page size parameters at 500.
      schema: { type: 'integer', format: 'int64', default: 250, minimum: 1, maximum: 500 },
    }),
    ApiQuery({
      name: 'page',
      required: false,
      description: `Deprecated Pagination Page\n\n${DEPRECATED}`,
      schema: { type: 'integer', format: 'int64' },
    }),
    ApiQuery({
      name: 'page_size',
      required: false,
      description: 'Page Size',
      schema: { type: 'integer', format: 'int64', default: 250, minimum: 1, maximum: 500 },
    }),
    string('page_token', 'Next Page Token'),
    ApiQuery({
      name: 'consistency',
      required: false,
      description: 'Read Consistency Level (preview); accepted and ignored, every read is strong.',
      schema: { type: 'string', enum: ['', 'strong', 'eventual'] },
    }),
    ApiQuery({
      name: 'ids',
      required: false,
      description: 'Retrieve multiple identities by their IDs (at most 500).',
      schema: { type: 'array', items: { type: 'string' } },
    }),
    string('credentials_identifier', 'The identifier (username, email) of the credentials, exact match.'),
    string(
      'preview_credentials_identifier_similar',
      'EXPERIMENTAL: accepted for compatibility; no similarity search is done.',
    ),
    ApiIncludeCredentialQuery(),
    string('organization_id', 'Only identities of this organization.'),
  );

export interface ParsedListQuery extends IdentityPageQuery {
  /** The legacy `page` number when offset pagination was asked for. */
  page?: number;
}

/** listIdentities' query: keyset pages (or legacy offset pages) and exactly one optional filter. */
export function parseListQuery(query: Query): ParsedListQuery {
  const pageSize = integer(one(query['page_size']) ?? one(query['per_page']), 'page_size', 1, 500) ?? 250;
  const page = integer(one(query['page']), 'page', 0, 1000);
  const token = one(query['page_token']);
  if (token !== undefined && token !== '' && !isUuid(token)) {
    throw new ApiError(400, { reason: 'The page token is invalid, do not craft your own page tokens' });
  }
  const ids = many(query['ids']);
  if (ids.length > 500) throw new ApiError(400, { reason: 'The ids parameter accepts at most 500 ids.' });
  const badId = ids.find((id) => !isUuid(id));
  if (badId) throw new ApiError(400, { reason: `The id "${badId}" is not a valid UUID.` });
  const identifier = one(query['credentials_identifier']);
  assertQueryText('credentials_identifier', identifier, IDENTIFIER_LENGTH);
  const organizationId = one(query['organization_id']);
  if (organizationId !== undefined && !isUuid(organizationId)) {
    throw new ApiError(400, { reason: 'The organization_id parameter must be a UUID.' });
  }
  const filters = [
    ids.length > 0,
    identifier !== undefined && identifier !== '',
    organizationId !== undefined,
  ];
  if (filters.filter(Boolean).length > 1) {
    throw new ApiError(400, { reason: 'You cannot combine multiple filters in this API' });
  }
  if (page !== undefined && page * pageSize > 1000 + pageSize) {
    throw new ApiError(400, {
      reason: 'Legacy pagination is limited to the first 1000 identities; use page_token.',
    });
  }
  return {
    pageSize,
    after: token && token !== NIL_UUID ? token : undefined,
    ...(page !== undefined ? { page, offset: page * pageSize } : {}),
    ...(ids.length > 0 ? { ids } : {}),
    ...(organizationId ? { organizationId } : {}),
    ...(identifier
      ? { credentialsIdentifiers: [...new Set([identifier, normalizeIdentifier(identifier)])] }
      : {}),
  };
}

/** RFC 8288 `Link` header with relative URLs, as Kratos writes it for keyset pages. */
export function keysetLinkHeader(path: string, query: Query, pageSize: number, nextToken?: string): string {
  const base = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (['page_token', 'page_size', 'per_page', 'page'].includes(key) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) base.append(key, v);
  }
  const link = (token: string, rel: string) => {
    const params = new URLSearchParams(base);
    params.set('page_size', String(pageSize));
    params.set('page_token', token);
    return `<${path}?${params.toString()}>; rel="${rel}"`;
  };
  return [link(NIL_UUID, 'first'), ...(nextToken ? [link(nextToken, 'next')] : [])].join(',');
}
