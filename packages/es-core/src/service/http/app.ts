import express, { type Express } from 'express';
import { DEFAULT_BODY_LIMIT_BYTES } from './http-config';
import { type HealthRegistry, livenessHandler, readinessHandler } from '../observability/health';
import type { Logger } from '../../core/logging/logger';
import { type Metrics, metricsHandler } from '../observability/metrics';
import type { BearerAuth } from './auth';
import { correlation } from './correlation';
import { problemErrorHandler, routeNotFound } from './error-handler';
import { httpMetrics } from './http-metrics';
import { jsonBody } from './json-body';
import { requestLogging } from './request-logging';
import { captureRoutePattern } from './route-pattern';

export interface HttpAppOptions {
  readonly service: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly health: HealthRegistry;
  readonly auth: BearerAuth;
  /** Bytes, or a size string body-parser understands ("64kb"). Default 64 KiB. */
  readonly bodyLimit?: number | string;
}

/** What route mounting gets besides the app: the auth to guard routes with and the service's logger. */
export interface RouteContext {
  readonly auth: BearerAuth;
  readonly logger: Logger;
}

export type MountRoutes = (app: Express, context: RouteContext) => void;

/**
 * The express app every service serves: correlation id + trace context → request logger → RED metrics →
 * JSON body (415 / 413 / 400) → open health and metrics endpoints → the service's routes → 404 → problem+json
 * errors. Routes are mounted through the callback so the 404 and error handlers are guaranteed to come last.
 * Health and metrics stay open: probes and Prometheus carry no tokens.
 */
export function createHttpApp(options: HttpAppOptions, mountRoutes?: MountRoutes): Express {
  const { service, logger, metrics, health, auth } = options;
  const app = express();
  app.disable('x-powered-by');
  // ETag means "aggregate version" here (see etag.ts); express's body-hash ETags would blur that.
  app.set('etag', false);

  app.use(captureRoutePattern());
  app.use(correlation());
  app.use(requestLogging(logger));
  app.use(httpMetrics(metrics));
  app.use(jsonBody(options.bodyLimit ?? DEFAULT_BODY_LIMIT_BYTES));

  app.get('/health/live', livenessHandler(service));
  app.get('/health/ready', readinessHandler(health));
  app.get('/metrics', metricsHandler(metrics.registry));

  mountRoutes?.(app, { auth, logger });

  app.use(routeNotFound());
  app.use(problemErrorHandler(logger));
  return app;
}
