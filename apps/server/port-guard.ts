import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import type { ServerKind } from '../../libs/config/index.js';
import { ApiError } from '../../libs/errors/index.js';

const PORT_KIND = Symbol('tessera.port');

type TaggedRequest = IncomingMessage & { [PORT_KIND]?: ServerKind };

/** Records the listener a request came in on; only the listeners themselves call this. */
export function tagPort(req: IncomingMessage, kind: ServerKind): void {
  (req as TaggedRequest)[PORT_KIND] = kind;
}

/** The listener a request came in on. */
export function portOf(req: IncomingMessage): ServerKind | undefined {
  return (req as TaggedRequest)[PORT_KIND];
}

/** True when a route pattern (as registered, not as requested) belongs to the admin API. */
export function isAdminRoute(pattern: string): boolean {
  return pattern === '/admin' || pattern.startsWith('/admin/');
}

/**
 * Decides by the handler the router chose, never by the spelling of the URL: a request from the
 * public listener may only reach public routes, one from the admin listener only admin routes.
 * Whatever a path looks like (case, encoding, dot segments, parameters), the route it lands on is
 * one of the registered patterns, and that pattern says which port owns it. Fails closed.
 */
@Injectable()
export class PortGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request & TaggedRequest>();
    const kind = req[PORT_KIND];
    const pattern: unknown = req.route?.path;
    if (kind === undefined || typeof pattern !== 'string') throw new ApiError(404);
    if (isAdminRoute(pattern) !== (kind === 'admin')) throw new ApiError(404);
    return true;
  }
}
