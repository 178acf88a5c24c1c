import type { IncomingHttpHeaders } from 'node:http';
import { httpAttempt } from './http-attempt.js';

export interface OutboundFetchOptions {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string | URLSearchParams | Uint8Array | null;
  timeoutMs: number;
  /** `follow` walks up to 10 redirects, each hop under the same private-address policy. */
  redirect?: 'follow' | 'manual';
}

const MAX_REDIRECTS = 10;

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function bodyText(body: OutboundFetchOptions['body']): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new TypeError('unsupported request body');
}

function requestHeaders(
  headers: OutboundFetchOptions['headers'],
  body: OutboundFetchOptions['body'],
): Record<string, string> {
  const out = Object.fromEntries(new Headers(headers).entries());
  if (body instanceof URLSearchParams && !('content-type' in out))
    out['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  return out;
}

/**
 * fetch's shape over the project's one HTTP client (kept-alive node:http, the private-address
 * policy of `clients.http`), for every outbound call that reads its answer as a `Response`:
 * OpenID providers, breach lists, remote schemas, templates and the HTTP courier. Rejects with the
 * socket's error, an HttpTimeoutError or a PrivateAddressError; answers of any status resolve.
 */
export async function outboundFetch(url: string | URL, options: OutboundFetchOptions): Promise<Response> {
  let current = String(url);
  let method = options.method ?? 'GET';
  let body = bodyText(options.body);
  const headers = requestHeaders(options.headers, options.body);
  for (let hop = 0; ; hop++) {
    const answer = await httpAttempt({ url: current, method, headers, body, timeoutMs: options.timeoutMs });
    const location = answer.headers.location;
    if (options.redirect === 'follow' && answer.status >= 300 && answer.status < 400 && location) {
      if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${String(url)}`);
      current = new URL(location, current).toString();
      if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      continue;
    }
    // A Response cannot carry a body on these, nor a status outside 200–599.
    if (answer.status < 200 || answer.status > 599) throw new Error(`unusable HTTP status ${answer.status}`);
    const empty = answer.status === 204 || answer.status === 304 || method === 'HEAD';
    return new Response(empty ? null : answer.body, {
      status: answer.status,
      headers: headersOf(answer.headers),
    });
  }
}
