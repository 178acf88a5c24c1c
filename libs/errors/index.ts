export { ApiExceptionFilter, toApiError } from './api-exception.filter.js';
export { DomainError, STATUS_OF_KIND, type DomainErrorKind } from './domain-error.js';
export {
  ApiError,
  badRequest,
  conflict,
  notFound,
  type ApiErrorInit,
  type ErrorEnvelope,
} from './error-envelope.js';
export { parseBody } from './body-validation.js';
export { ApiErrorResponses } from './error-responses.decorator.js';
export { ErrorBrowserLocationChangeRequired, ErrorGeneric, GenericError } from './error.response.dto.js';
export { assertBodyDepth, jsonDepth, MAX_BODY_DEPTH } from './body-depth.js';
