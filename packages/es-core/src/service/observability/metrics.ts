import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type HttpMetricLabels = 'method' | 'route' | 'status';

/** One registry per service: default process metrics, HTTP RED metrics, and whatever the service adds. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestsTotal: Counter<HttpMetricLabels>;
  readonly httpRequestDurationSeconds: Histogram<HttpMetricLabels>;
}

export interface MetricsOptions {
  /** Off in tests that build many registries: the default collectors are process-wide and add nothing there. */
  readonly collectDefaultMetrics?: boolean;
}

/** prom-client's own defaults, spelled out so a library upgrade cannot silently change the dashboards. */
const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A fresh registry (never prom-client's global one, so tests and embedded services do not collide) whose
 * every series carries `service`. `route` is the express route pattern, never the raw URL, to bound cardinality.
 */
export function createMetrics(service: string, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.collectDefaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpRequestsTotal = new Counter<HttpMetricLabels>({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const httpRequestDurationSeconds = new Histogram<HttpMetricLabels>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  return { registry, httpRequestsTotal, httpRequestDurationSeconds };
}

/** `GET /metrics` in the Prometheus text format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    const body = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  };
}
