import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors/index.js';
import { currentRequestId } from '../logging/index.js';
import { AdminKeyRing } from './admin-key.js';
import { AdminKeyAuthenticator } from './admin-key.passport.js';
import { isAdminRoutePattern, OPEN_ADMIN_ROUTES } from './admin-routes.js';

/** 401 in the contract's envelope; the challenge names the scheme the admin API takes. */
export function adminKeyRequired(): ApiError {
  return new ApiError(401, {
    reason: 'The admin API requires a valid API key: send it as "Authorization: Bearer <key>".',
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}

/** Which key a request used, for its access log line (`admin_key`): the id, never the key. */
export const ADMIN_KEY_LOCAL = 'adminKeyId';

async function authorized(keys: AdminKeyAuthenticator, req: Request, res?: Response): Promise<boolean> {
  const id = await keys.identify(req.header('authorization'));
  if (id !== undefined && res) res.locals[ADMIN_KEY_LOCAL] = id;
  return id !== undefined;
}

/**
 * With `serve.admin.api_keys` set, every admin route but the open ones wants one of the keys.
 * Runs after the PortGuard, which has already sent anything under `/admin` that came in on the
 * public port away with a 404: an admin route pattern here means the admin port. Decides by the
 * route the router chose, never by the spelling of the URL.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly keys: AdminKeyAuthenticator;

  constructor(private readonly ring: AdminKeyRing) {
    this.keys = new AdminKeyAuthenticator(ring);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.ring.enabled || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const pattern: unknown = req.route?.path;
    if (typeof pattern !== 'string') throw adminKeyRequired();
    if (!isAdminRoutePattern(pattern) || OPEN_ADMIN_ROUTES.has(pattern)) return true;
    if (!(await authorized(this.keys, req, http.getResponse<Response>()))) throw adminKeyRequired();
    return true;
  }
}

/** The same check for the Express routes Nest's guards do not see (Swagger UI, the document). */
export function adminKeyMiddleware(ring: AdminKeyRing) {
  const keys = new AdminKeyAuthenticator(ring);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (!ring.enabled || (await authorized(keys, req, res))) {
      next();
      return;
    }
    const error = adminKeyRequired();
    req.resume();
    res.status(401);
    for (const [name, value] of Object.entries(error.init.headers ?? {})) res.setHeader(name, value);
    res.json(error.envelope(currentRequestId()));
  };
}
