import type { IncomingHttpHeaders } from 'node:http';
import type { CustomFetch } from 'openid-client';
import { httpAttempt } from '../../../http-client/index.js';

/** openid-client's own timeout for a provider request, which its abort signal carries too. */
export const PROVIDER_TIMEOUT_SECONDS = 10;

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new TypeError('unsupported request body');
}

/**
 * openid-client's requests (discovery, JWKS, token, userinfo) through the project's one HTTP
 * client (kept-alive node:http) instead of the global fetch: the same answer as a `Response`, at
 * about half of fetch's CPU per request, which a sign-in callback pays on every token exchange.
 * Redirects are never followed (openid-client asks for `manual`); a failure is fetch's TypeError.
 */
export const providerFetch: CustomFetch = async (url, options) => {
  if (options.signal?.aborted) throw options.signal.reason;
  let answer;
  try {
    answer = await httpAttempt({
      url,
      method: options.method,
      headers: options.headers,
      body: bodyText(options.body),
      timeoutMs: PROVIDER_TIMEOUT_SECONDS * 1000,
    });
  } catch (error) {
    throw new TypeError('fetch failed', { cause: error });
  }
  // A Response cannot carry a body on these, nor a status outside 200–599.
  const empty = answer.status === 204 || answer.status === 304 || options.method === 'HEAD';
  if (answer.status < 200 || answer.status > 599) throw new TypeError('fetch failed: bad status');
  return new Response(empty ? null : answer.body, {
    status: answer.status,
    headers: headersOf(answer.headers),
  });
};
