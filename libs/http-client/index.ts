export { type HttpAnswer, httpAttempt, type HttpRequest, HttpTimeoutError } from './http-attempt.js';
