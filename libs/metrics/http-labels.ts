/** The route label of a request no route matched (404s for unknown paths, early refusals). */
export const UNMATCHED_ROUTE = '(unmatched)';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

interface RoutedRequest {
  method?: string;
  baseUrl?: string;
  route?: { path?: unknown };
}

/**
 * The Express route pattern the router chose (`/self-service/login`, `/admin/identities/:id`),
 * never the requested URL: ids, query strings and unknown paths would make a label per request.
 */
export function routeLabel(req: RoutedRequest): string {
  const pattern = req.route?.path;
  if (typeof pattern !== 'string' || pattern === '') return UNMATCHED_ROUTE;
  return `${req.baseUrl ?? ''}${pattern}`;
}

/** The request method, or `OTHER` for anything outside the methods the API serves. */
export function methodLabel(req: RoutedRequest): string {
  const method = req.method?.toUpperCase();
  return method && KNOWN_METHODS.has(method) ? method : 'OTHER';
}

/** The status code as sent, or `000` when none was (a status outside 100..599 cannot be sent). */
export function statusLabel(statusCode: number): string {
  return Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 599 ? String(statusCode) : '000';
}
