/**
 * The admin routes that answer without a key, as registered (the admin port adds the `/admin`
 * prefix to `/health/ready` and the like). Probes and scrapers carry no key. This is the one
 * place the list lives; a route that does not exist here costs nothing.
 */
export const OPEN_ADMIN_ROUTES: ReadonlySet<string> = new Set([
  '/admin/health/alive',
  '/admin/health/ready',
  '/admin/version',
  '/admin/metrics/prometheus',
]);

/** The Swagger UI and the OpenAPI document: Express routes, outside Nest's guards. */
export const ADMIN_DOCUMENT_PATHS: readonly string[] = ['/admin/docs', '/admin/openapi.json'];

export function isAdminRoutePattern(pattern: string): boolean {
  return pattern === '/admin' || pattern.startsWith('/admin/');
}
