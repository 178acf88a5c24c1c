export { type HttpAnswer, httpAttempt, type HttpRequest, HttpTimeoutError } from './http-attempt.js';
export { outboundFetch, type OutboundFetchOptions } from './outbound-fetch.js';
export {
  installOutboundPolicy,
  type OutboundPolicy,
  PrivateAddressError,
  resetOutboundPolicy,
} from './outbound-policy.js';
export { isPrivateAddress } from './private-address.js';
export { HttpClientModule } from './http-client.module.js';
