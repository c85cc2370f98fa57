import type { BearerAuth, Scope } from '@scylla-es/es-core/service';
import type { Express, RequestHandler } from 'express';
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface HeaderSpec {
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodType;
}

export interface ResponseSpec {
  readonly description: string;
  /** JSON body; problem responses use the shared problem schema. */
  readonly schema?: z.ZodType;
  readonly problem?: boolean;
  readonly headers?: readonly string[];
  /** The schema is an aggregate state (nullable, as snapshots store it): documented non-null plus `version`. */
  readonly aggregateState?: boolean;
}

/**
 * One endpoint: how express serves it and how /openapi.json describes it, from the same zod schemas, so the
 * document cannot drift from what the routes validate.
 */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** Express syntax (`/orders/:id`). */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly scope: Scope;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: { readonly schema: z.ZodType; readonly required: boolean };
  readonly headers?: readonly HeaderSpec[];
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Serves a request that passed the scope check. */
  readonly serve: RequestHandler;
}

/** Registers each route behind its scope check (401 without a valid token, 403 without the scope). */
export function mountRouteSpecs(app: Express, auth: BearerAuth, specs: readonly RouteSpec[]): void {
  for (const spec of specs) app[spec.method](spec.path, auth.requireScope(spec.scope), spec.serve);
}
