import express from 'express';
import request from 'supertest';
import { createMetrics, metricsHandler } from './metrics';

describe('createMetrics', () => {
  it('registers default process metrics and the HTTP RED metrics, all labelled with the service', async () => {
    const { registry, httpRequestsTotal, httpRequestDurationSeconds } = createMetrics('orders');
    httpRequestsTotal.inc({ method: 'GET', route: '/orders/:id', status: '200' });
    httpRequestDurationSeconds.observe({ method: 'GET', route: '/orders/:id', status: '200' }, 0.02);
    const text = await registry.metrics();
    expect(text).toContain('process_cpu_user_seconds_total{service="orders"}');
    expect(text).toContain('http_requests_total{method="GET",route="/orders/:id",status="200",service="orders"} 1');
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.025",service="orders",method="GET",route="/orders/:id",status="200"} 1',
    );
  });

  it('gives every call its own registry, so services and tests do not collide', () => {
    const first = createMetrics('a', { collectDefaultMetrics: false });
    const second = createMetrics('b', { collectDefaultMetrics: false });
    expect(first.registry).not.toBe(second.registry);
    expect(first.registry.getSingleMetric('process_cpu_user_seconds_total')).toBeUndefined();
  });

  it("serves the registry in Prometheus' text format, including a service's own metrics", async () => {
    const { registry } = createMetrics('orders', { collectDefaultMetrics: false });
    const { Gauge } = await import('prom-client');
    new Gauge({ name: 'cdc_lag_seconds', help: 'lag', registers: [registry] }).set(3);
    const response = await request(express().get('/metrics', metricsHandler(registry))).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(registry.contentType);
    expect(response.text).toContain('cdc_lag_seconds{service="orders"} 3');
  });
});
