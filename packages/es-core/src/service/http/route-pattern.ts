import type { Request, RequestHandler } from 'express';

/** Label for requests that reached no route: 404s, and requests rejected before routing (413, 415, …). */
export const UNMATCHED_ROUTE = 'unmatched';

const patterns = new WeakMap<Request, string>();

function pathText(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return path.toString();
  if (Array.isArray(path)) return path.map(pathText).join('|');
  return undefined;
}

function fullPattern(baseUrl: string, routePath: unknown): string | undefined {
  const path = pathText(routePath);
  if (path === undefined) return undefined;
  if (baseUrl === '') return path;
  return path === '/' ? baseUrl : `${baseUrl}${path}`;
}

/**
 * Records the matched route pattern (e.g. `/orders/:id`) the moment express assigns `req.route`.
 * Reading `req.route` later is not enough: when an error leaves a mounted router, express has already
 * restored `req.baseUrl` to the parent's, which would drop the mount prefix from the pattern.
 * Limitation: a router mounted on a parameterised path contributes its concrete path (via `req.baseUrl`),
 * so mount routers on static prefixes and put parameters in the routes.
 */
export function captureRoutePattern(): RequestHandler {
  return (req, _res, next) => {
    let route: unknown = (req as { route?: unknown }).route;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set: (value: unknown) => {
        route = value;
        const pattern = fullPattern(req.baseUrl, (value as { path?: unknown } | undefined)?.path);
        if (pattern !== undefined) patterns.set(req, pattern);
      },
    });
    next();
  };
}

/** The route pattern that served the request, or `unmatched`. Bounded cardinality: safe as a metric label. */
export function routePatternOf(req: Request): string {
  return patterns.get(req) ?? UNMATCHED_ROUTE;
}

/** For the 404 handler: a route may have matched and passed the request on, yet none answered it. */
export function markUnmatched(req: Request): void {
  patterns.delete(req);
}
