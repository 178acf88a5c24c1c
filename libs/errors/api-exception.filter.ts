import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type AppLogger, currentRequestId } from '../logging/index.js';
import { ApiError } from './error-envelope.js';
import { DomainError, STATUS_OF_KIND } from './domain-error.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns anything thrown into an ApiError; what is not expected becomes a bare 500. */
export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) {
    return new ApiError(STATUS_OF_KIND[error.kind], {
      id: error.options.id,
      reason: error.reason,
      details: error.options.details,
    });
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const text = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const reason = Array.isArray(text) ? text.join('; ') : typeof text === 'string' ? text : undefined;
    return new ApiError(status, {
      reason: status === 404 && reason?.startsWith('Cannot ') ? undefined : reason,
    });
  }
  const parserError = error as BodyParserError;
  if (parserError?.type === 'entity.parse.failed') {
    return new ApiError(400, { reason: 'The request body is not valid JSON.' });
  }
  if (parserError?.type === 'entity.too.large') {
    return new ApiError(413, { reason: 'The request body exceeds the limit of 5 MiB.' });
  }
  if (parserError?.type && typeof parserError.status === 'number' && parserError.status < 500) {
    return new ApiError(parserError.status, { reason: 'The request body could not be read.' });
  }
  return undefined;
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    let error = toApiError(exception);
    if (!error) {
      this.logger.error('unhandled error', { err: exception, method: request.method, path: request.path });
      error = new ApiError(500);
    }
    if (response.headersSent) return;
    const body = error.envelope(currentRequestId());
    response.status(error.code);
    for (const [name, value] of Object.entries(error.init.headers ?? {})) response.setHeader(name, value);
    if (body.error.id) response.setHeader('Ory-Error-Id', body.error.id);
    response.setHeader('Cache-Control', 'private, no-cache, no-store, must-revalidate');
    response.json(body);
  }
}
