import { STATUS_CODES } from 'node:http';

/** The contract's `errorGeneric` body: `{"error": {...}}` plus rare top-level siblings. */
export interface ErrorEnvelope {
  error: {
    id?: string;
    code: number;
    status: string;
    request?: string;
    reason?: string;
    message: string;
    details?: Record<string, unknown>;
  };
  [sibling: string]: unknown;
}

const DEFAULT_MESSAGE: Record<number, string> = {
  400: 'The request was malformed or contained invalid parameters',
  401: 'The request could not be authorized',
  403: 'The requested action was forbidden',
  404: 'The requested resource could not be found',
  409: 'The resource could not be created due to a conflict',
  410: 'The requested resource is no longer available because it has expired or is otherwise invalid.',
  413: 'The request body is too large',
  422: 'The request was well-formed but was unable to be followed due to semantic errors',
  429: 'Too many requests',
  500: 'An internal server error occurred, please contact the system administrator',
  503: 'The service is temporarily unavailable',
};

export interface ApiErrorInit {
  id?: string;
  reason?: string;
  message?: string;
  details?: Record<string, unknown>;
  /** Top-level siblings of `error`, e.g. `redirect_browser_to`, `use_flow_id`. */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** An error whose HTTP form is known: the one filter writes it as the envelope. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly init: ApiErrorInit = {},
  ) {
    super(init.reason ?? init.message ?? DEFAULT_MESSAGE[code] ?? STATUS_CODES[code] ?? 'error');
    this.name = 'ApiError';
  }

  envelope(requestId?: string): ErrorEnvelope {
    const { id, reason, details } = this.init;
    return {
      error: {
        ...(id ? { id } : {}),
        code: this.code,
        status: STATUS_CODES[this.code] ?? 'Unknown',
        ...(requestId ? { request: requestId } : {}),
        ...(reason ? { reason } : {}),
        ...(details && Object.keys(details).length > 0 ? { details } : {}),
        message: this.init.message ?? DEFAULT_MESSAGE[this.code] ?? STATUS_CODES[this.code] ?? 'error',
      },
      ...this.init.extra,
    };
  }
}

export const badRequest = (reason?: string, details?: Record<string, unknown>) =>
  new ApiError(400, { reason, details });
export const notFound = (reason = 'Unable to locate the resource') => new ApiError(404, { reason });
export const conflict = (
  reason = 'Unable to insert or update resource because a resource with that value exists already',
) => new ApiError(409, { reason });
