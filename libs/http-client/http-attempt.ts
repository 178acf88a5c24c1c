import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isGuarded, publicOnlyLookup } from './outbound-policy.js';

/** Kratos reads at most 5 MB of an answer. */
const MAX_ANSWER_BYTES = 5 * 1024 * 1024;

/**
 * The one outbound HTTP client (web hooks, blocking and from the outbox; OpenID providers): keep-alive
 * agents (a receiver called at 200/s reuses its connections), no fetch/undici layer.
 */
const open = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
/** Agents for calls under `clients.http.disallow_private_ip_ranges`: their own sockets, checked at connect. */
const guarded = {
  http: new HttpAgent({ keepAlive: true, lookup: publicOnlyLookup }),
  https: new HttpsAgent({ keepAlive: true, lookup: publicOnlyLookup }),
};

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first 5 MB of the answer; empty when the caller did not want it read. */
  body: string;
}

/** An attempt that ran out of its time; other failures are the socket's own errors (ECONNREFUSED…). */
export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
  readonly timedOut = true;
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * One request, no retries: resolves with any answer, rejects on a network error (a
 * PrivateAddressError among them) or when the whole exchange takes longer than `timeoutMs`.
 * `readBody: false` drains the answer unread.
 */
export async function httpAttempt(request: HttpRequest, readBody = true): Promise<HttpAnswer> {
  const url = new URL(request.url);
  const https = url.protocol === 'https:';
  const agents = isGuarded(url, request.url) ? guarded : open;
  const headers =
    request.body === undefined
      ? request.headers
      : { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) };
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: request.method,
      headers,
      agent: https ? agents.https : agents.http,
    });
    const timer = setTimeout(() => req.destroy(new HttpTimeoutError(request.timeoutMs)), request.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    req.on('error', fail);
    req.on('response', (answer) => {
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (readBody && size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      answer.on('end', () => {
        clearTimeout(timer);
        const body = chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : '';
        resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body });
      });
      answer.on('error', fail);
    });
    req.end(request.body);
  });
}
