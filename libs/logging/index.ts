export { AppLogger, type AppLoggerOptions } from './app-logger.js';
export { REDACTED, Redactor } from './redact.js';
export { currentRequest, currentRequestId, requestContext, type RequestContext } from './request-context.js';
export { LoggingModule } from './logging.module.js';
