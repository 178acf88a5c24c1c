export { type HttpAnswer, httpAttempt, type HttpRequest, HttpTimeoutError } from './http-attempt.js';
export { HttpClientModule } from './http-client.module.js';
export { outboundFetch, type OutboundFetchOptions } from './outbound-fetch.js';
export { PrivateAddressError } from './outbound-policy.js';
