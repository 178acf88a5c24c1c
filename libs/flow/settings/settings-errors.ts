import { ApiError } from '../../errors/index.js';

/** Creating a settings flow needs a session (`session_inactive`). */
export function sessionInactive(): ApiError {
  return new ApiError(401, {
    id: 'session_inactive',
    reason: 'No active session was found in this request.',
    message: 'request does not have a valid authentication session',
  });
}

/** Reading or submitting a settings flow without a session (Kratos sends no id here). */
export function sessionMissing(): ApiError {
  return new ApiError(401, { reason: 'A valid Ory Session Cookie or Ory Session Token is missing.' });
}

export function identityMismatch(): ApiError {
  return new ApiError(403, {
    id: 'security_identity_mismatch',
    reason: 'You must restart the flow because the resumable session was initiated by another person.',
    message: 'the request was rejected to protect you from identity theft',
  });
}

/** A privileged change on a session authenticated too long ago: sign in again first. */
export function refreshRequired(redirectBrowserTo: string): ApiError {
  return new ApiError(403, {
    id: 'session_refresh_required',
    reason:
      'The login session is too old and thus not allowed to update these fields. Please re-authenticate.',
    message: 'The request could not be processed because the session is too old',
    details: { redirect_browser_to: redirectBrowserTo },
    extra: { redirect_browser_to: redirectBrowserTo },
  });
}

/** An error that sends a browser elsewhere rather than to the error UI. */
export function redirectOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.init.id !== 'session_aal2_required' && error.init.id !== 'session_refresh_required')
    return undefined;
  const target = error.init.extra?.['redirect_browser_to'];
  return typeof target === 'string' ? target : undefined;
}
