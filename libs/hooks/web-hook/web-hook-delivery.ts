import { randomUUID } from 'node:crypto';
import { type HttpAnswer, httpAttempt, PrivateAddressError } from '../../http-client/index.js';
import { type WebHookCall } from './background-web-hooks.js';

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

function retryable(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

/** `Retry-After` in seconds (429, 503), capped so a receiver cannot park the flow. */
function retryAfterMs(answer: HttpAnswer | undefined, fallback: number): number {
  const header = answer?.headers['retry-after'];
  const seconds = header !== undefined ? Number(header) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 30_000) : fallback;
}

function attempt(call: WebHookCall): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...call.headers };
  if (headers[TRIGGER_ID_HEADER]) headers[REQUEST_ID_HEADER] = randomUUID();
  return httpAttempt({ ...call, headers });
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
    let answer: HttpAnswer | undefined;
    try {
      answer = await attempt(call);
      const status = answer.status;
      if (!retryable(status)) return { status, body: answer.body };
      failure = new WebHookDeliveryError(`the web hook answered HTTP ${status}`, false);
    } catch (error) {
      // Refused by policy, not down: another attempt would be refused too. The address stays in the
      // server (the message reaches the client).
      if (error instanceof PrivateAddressError)
        throw new WebHookDeliveryError(
          'cannot reach the web hook: its address is not a permitted destination (clients.http.disallow_private_ip_ranges)',
          false,
        );
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
