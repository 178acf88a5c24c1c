import { AsyncLocalStorage } from 'node:async_hooks';
import { type IncomingMessage } from 'node:http';

export interface RequestContext {
  requestId: string;
  /** The request being served, for what flow hooks tell a web hook about it (headers, URL, cookies). */
  request?: IncomingMessage;
}

/** The request id of the request being served, for log lines and error envelopes. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** The request being served, if any (none in the courier worker or a CLI command). */
export function currentRequest(): IncomingMessage | undefined {
  return requestContext.getStore()?.request;
}
