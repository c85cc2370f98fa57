import type { Express } from 'express';
import { requiredScopeOf } from '../service/http/auth';
import type { Scope } from '../service/http/scopes';

/** One route as the running app serves it. */
export interface WalkedRoute {
  readonly method: string;
  /** Express syntax (`/orders/:id`). */
  readonly path: string;
  /** What its `requireScope` guard demands; undefined for an open route. */
  readonly scope?: Scope;
}

interface RouteLayer {
  readonly route?: {
    readonly path: unknown;
    readonly methods: Readonly<Record<string, boolean>>;
    readonly stack: readonly { readonly method?: string; readonly handle: unknown }[];
  };
}

/**
 * Every route of the app, read from its router stack: what a client can reach, so a route added without a guard
 * cannot escape a test that walks them all. Middleware (no route) is not listed.
 */
export function routesOf(app: Express): WalkedRoute[] {
  const stack = (app as unknown as { router: { stack: readonly RouteLayer[] } }).router.stack;
  return stack.flatMap(({ route }) => {
    if (!route || typeof route.path !== 'string') return [];
    const path = route.path;
    return Object.keys(route.methods)
      .filter((method) => route.methods[method])
      .map((method) => {
        const scope = route.stack.map((layer) => requiredScopeOf(layer.handle)).find((found) => found !== undefined);
        return { method: method.toUpperCase(), path, ...(scope === undefined ? {} : { scope }) };
      });
  });
}

/** The names of a route's path parameters, in order (`/a/:id/b/:name` → id, name). */
export const pathParamsOf = (path: string): string[] => [...path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);

/** The route's path with each parameter replaced by what `value` gives for it, URL-encoded. */
export const fillPath = (path: string, value: (param: string) => string): string =>
  path.replace(/:(\w+)/g, (_whole, param: string) => encodeURIComponent(value(param)));
