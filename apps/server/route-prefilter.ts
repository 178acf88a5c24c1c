import type { Express } from 'express';

/** What the router calls on each layer, in registration order, until one matches. */
type Match = (path: string | null | undefined) => unknown;

interface RouteLayer {
  route?: { path?: unknown };
  match?: Match;
}

/** Anything path-to-regexp reads as more than literal text. */
const PATTERN_SYNTAX = /[:*?+()[\]{}!\\]/;

/**
 * Express tries a request against every route in registration order, each with its
 * path-to-regexp matcher: a few microseconds a route, so whoami (the 28th route) paid about 60 µs
 * more than /health/alive, and every request paid for the routes before its own. With case-
 * sensitive, strict routing a literal route path matches exactly one string, and a pattern only
 * paths that start with its literal prefix: this puts that string test in front of each route's
 * matcher, which still decides every path that passes it, so the routing (order, params, methods,
 * 404s) is unchanged. Returns the number of routes filtered (0 without those two settings).
 */
export function prefilterRoutes(app: Express): number {
  if (!app.enabled('case sensitive routing') || !app.enabled('strict routing')) return 0;
  let filtered = 0;
  for (const layer of app.router.stack as RouteLayer[]) {
    const path = layer.route?.path;
    const match = layer.match;
    if (typeof path !== 'string' || typeof match !== 'function') continue;
    const special = path.search(PATTERN_SYNTAX);
    const matches = match.bind(layer);
    if (special === -1) {
      layer.match = (candidate) => (candidate === path ? matches(candidate) : false);
    } else {
      const prefix = path.slice(0, special);
      layer.match = (candidate) =>
        typeof candidate === 'string' && candidate.startsWith(prefix) ? matches(candidate) : false;
    }
    filtered++;
  }
  return filtered;
}
