import type { FetchImplementation } from 'jose';
import type { CustomFetch } from 'openid-client';
import { outboundFetch } from '../../../http-client/index.js';

/** openid-client's own timeout for a provider request, which its abort signal carries too. */
export const PROVIDER_TIMEOUT_SECONDS = 10;

/**
 * openid-client's requests (discovery, JWKS, token, userinfo) through the project's one HTTP
 * client (kept-alive node:http, the `clients.http` private-address policy) instead of the global
 * fetch: the same answer as a `Response`, at about half of fetch's CPU per request, which a
 * sign-in callback pays on every token exchange. Redirects are never followed (openid-client asks
 * for `manual`); a failure is fetch's TypeError.
 */
export const providerFetch: CustomFetch = async (url, options) => {
  if (options.signal?.aborted) throw options.signal.reason;
  try {
    return await outboundFetch(url, {
      method: options.method,
      headers: options.headers,
      body: options.body as string | URLSearchParams | Uint8Array | undefined,
      timeoutMs: PROVIDER_TIMEOUT_SECONDS * 1000,
    });
  } catch (error) {
    throw new TypeError('fetch failed', { cause: error });
  }
};

/** jose's remote key sets through the same client: the keys of a provider are an outbound call too. */
export const jwksFetch: FetchImplementation = (url, options) =>
  outboundFetch(url, {
    method: options.method,
    headers: options.headers,
    timeoutMs: PROVIDER_TIMEOUT_SECONDS * 1000,
  });
