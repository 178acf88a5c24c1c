const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** `schema_url` carries the id as unpadded base64url, so ids with `/` or spaces survive the path. */
export function encodeSchemaId(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * Strict inverse of {@link encodeSchemaId}: undefined for anything Go's `RawURLEncoding` would
 * reject, because Node's decoder silently skips invalid characters and would invent ids.
 */
export function decodeSchemaId(encoded: string): string | undefined {
  if (!BASE64URL.test(encoded) || encoded.length % 4 === 1) return undefined;
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.toString('base64url') !== encoded) return undefined;
  const decoded = bytes.toString('utf8');
  return Buffer.from(decoded, 'utf8').equals(bytes) ? decoded : undefined;
}

/** `<public base>/schemas/<base64url(id)>`, the `schema_url` of an identity. */
export function identitySchemaUrl(publicBaseUrl: URL | string, id: string): string {
  return new URL(`schemas/${encodeSchemaId(id)}`, withTrailingSlash(publicBaseUrl)).href;
}

function withTrailingSlash(base: URL | string): string {
  const href = typeof base === 'string' ? base : base.href;
  return href.endsWith('/') ? href : `${href}/`;
}
