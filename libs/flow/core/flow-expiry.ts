import { ApiError } from '../../errors/index.js';
import { type SelfServiceFlow } from './flow.entity.js';

/** 410 for a JSON client whose flow expired; it carries the id of the fresh flow to use. */
export function flowExpired(expired: SelfServiceFlow, replacement: SelfServiceFlow, now: Date): ApiError {
  const sinceMs = now.getTime() - expired.expiresAt.getTime();
  return new ApiError(410, {
    id: 'self_service_flow_expired',
    reason: `The self-service flow expired ${(sinceMs / 60_000).toFixed(2)} minutes ago, initialize a new one.`,
    message: 'self-service flow expired',
    extra: {
      expired_at: expired.expiresAt.toISOString(),
      since: sinceMs * 1_000_000,
      use_flow_id: replacement.id,
    },
  });
}

/** 410 for GETting an expired flow: no new flow, but where to start one. */
export function expiredOnRead(flow: SelfServiceFlow, restartUrl: string): ApiError {
  return new ApiError(410, {
    id: 'self_service_flow_expired',
    reason: 'The self-service flow expired, initialize a new one.',
    message: 'self-service flow expired',
    details:
      flow.type === 'api'
        ? { api: restartUrl }
        : { redirect_to: restartUrl, ...(flow.returnTo ? { return_to: flow.returnTo } : {}) },
  });
}

export function sessionAlreadyAvailable(): ApiError {
  return new ApiError(400, {
    id: 'session_already_available',
    reason:
      'A valid session was detected and thus login is not possible. Did you forget to set `?refresh=true`?',
    message: 'session is already available',
  });
}

/** API flows are for apps; a browser (Origin header or its cookies) must use browser flows. */
export function browserOnApiFlow(origin: string | undefined, cookieHeader: string | undefined): boolean {
  if (origin) return true;
  if (!cookieHeader) return false;
  return cookieHeader
    .split(';')
    .map((part) => part.split('=')[0]!.trim())
    .some((name) => name !== '' && !/^(__cf|_cf|cf_)/.test(name));
}
