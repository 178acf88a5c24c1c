import { randomUUID } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type WebHookCall } from './background-web-hooks.js';

/** Kratos reads at most 5 MB of an answer. */
const MAX_ANSWER_BYTES = 5 * 1024 * 1024;
/** Kratos' client: three attempts in all. */
const ATTEMPTS = 3;
export const TRIGGER_ID_HEADER = 'Ory-Webhook-Trigger-ID';
export const REQUEST_ID_HEADER = 'Ory-Webhook-Request-ID';

export interface Answer {
  status: number;
  body: string;
}

/** Every attempt failed on the network or with 5xx/429; `timedOut`: the last one ran out of time. */
export class WebHookDeliveryError extends Error {
  override readonly name = 'WebHookDeliveryError';
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

function retryable(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** `Retry-After` in seconds (429, 503), capped so a receiver cannot park the flow. */
function retryAfterMs(answer: IncomingMessage | undefined, fallback: number): number {
  const header = answer?.headers['retry-after'];
  const seconds = header !== undefined ? Number(header) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 30_000) : fallback;
}

/** Parsed receiver URLs: a hook's URL comes from the configuration, so there are few. */
const parsedUrls = new Map<string, URL>();

function parsedUrl(text: string): URL {
  let url = parsedUrls.get(text);
  if (!url) {
    url = new URL(text);
    if (parsedUrls.size >= 256) parsedUrls.clear();
    parsedUrls.set(text, url);
  }
  return url;
}

/**
 * One attempt. `timeoutMs` bounds the whole exchange, as Go's `http.Client.Timeout` does: one
 * timer, no idle timeout on the socket (an idle socket would hit the whole-exchange one first).
 */
function attempt(call: WebHookCall): Promise<{ answer: IncomingMessage; body: string }> {
  const url = parsedUrl(call.url);
  const https = url.protocol === 'https:';
  const headers: Record<string, string> = { ...call.headers };
  if (headers[TRIGGER_ID_HEADER]) headers[REQUEST_ID_HEADER] = randomUUID();
  if (call.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(call.body));
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(url, {
      method: call.method,
      headers,
      agent: https ? httpsAgent : httpAgent,
    });
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error('timeout'), { timedOut: true })),
      call.timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (answer) => {
      const chunks: Buffer[] = [];
      let size = 0;
      answer.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      });
      answer.on('end', () => {
        clearTimeout(timer);
        resolve({ answer, body: Buffer.concat(chunks).toString('utf8') });
      });
      answer.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    req.end(call.body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * Sends a web hook call as Kratos' client does: per-attempt timeout, up to two retries on
 * connection errors, timeouts, 429 and 5xx (not 501), waiting `retryWaitMs` then twice that
 * (or what `Retry-After` says). Any other answer, 4xx included, is returned as it is.
 */
export async function deliver(call: WebHookCall, retryWaitMs: number): Promise<Answer> {
  let failure: WebHookDeliveryError | undefined;
  for (let n = 0; n < ATTEMPTS; n++) {
    let answer: IncomingMessage | undefined;
    try {
      const result = await attempt(call);
      answer = result.answer;
      const status = result.answer.statusCode ?? 0;
      if (!retryable(status)) return { status, body: result.body };
      failure = new WebHookDeliveryError(`the web hook answered HTTP ${status}`, false);
    } catch (error) {
      const timedOut = (error as { timedOut?: boolean }).timedOut === true;
      failure = new WebHookDeliveryError(
        timedOut
          ? `no answer within ${call.timeoutMs} ms`
          : `cannot reach the web hook: ${(error as Error).message}`,
        timedOut,
      );
    }
    if (n < ATTEMPTS - 1) await sleep(retryAfterMs(answer, retryWaitMs * 2 ** n));
  }
  throw failure!;
}
