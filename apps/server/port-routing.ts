import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ConfigService, type ServerKind } from '../../libs/config/index.js';
import { ApiError } from '../../libs/errors/index.js';

/** Admin paths that Kratos forwards when they are asked for on the public port. */
const ADMIN_ON_PUBLIC = /^\/(admin\/)?(identities|courier\/messages|recovery\/(link|code))(\/|\?|$)/;
/** Public paths that Kratos forwards when they are asked for on the admin port. */
const PUBLIC_ON_ADMIN = /^\/admin\/(self-service|schemas|sessions\/whoami)(\/|\?|$)/;

/**
 * These answers come before any body parser: the unread body is drained, or Node would reset
 * the connection under a client still sending it, and the client would see no answer at all.
 */
function redirect(req: IncomingMessage, res: ServerResponse, location: string): void {
  req.resume();
  res.writeHead(307, { Location: location }).end();
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const body = JSON.stringify(new ApiError(404).envelope());
  res
    .writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
    .end(body);
}

/**
 * One Nest application serves both ports; this decides what a request may reach on the port it
 * came in on. Admin routes live under `/admin` and are never served on the public port; on the
 * admin port a missing `/admin` prefix is added, as Kratos does. Returns false when it answered.
 */
export function routeForPort(
  kind: ServerKind,
  config: ConfigService,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const url = req.url ?? '/';
  if (kind === 'public') {
    if (/^\/admin\/schemas(\/|\?|$)/.test(url)) {
      req.url = url.slice('/admin'.length);
      return true;
    }
    if (ADMIN_ON_PUBLIC.test(url)) {
      redirect(req, res, config.url('admin', url.startsWith('/admin/') ? url : `/admin${url}`));
      return false;
    }
    if (url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?')) {
      notFound(req, res);
      return false;
    }
    return true;
  }
  const prefixed =
    url === '/admin' || url.startsWith('/admin/') || url.startsWith('/admin?') ? url : `/admin${url}`;
  if (PUBLIC_ON_ADMIN.test(prefixed)) {
    redirect(req, res, config.url('public', prefixed.slice('/admin'.length)));
    return false;
  }
  req.url = prefixed;
  return true;
}
