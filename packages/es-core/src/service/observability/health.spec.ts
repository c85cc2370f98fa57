import express from 'express';
import request from 'supertest';
import { HealthRegistry, livenessHandler, readinessHandler } from './health';

function appFor(health: HealthRegistry) {
  return express().get('/health/live', livenessHandler('svc')).get('/health/ready', readinessHandler(health));
}

describe('HealthRegistry', () => {
  it('is ready with no checks, and live regardless of checks', async () => {
    const health = new HealthRegistry().register('broken', () => Promise.reject(new Error('down')));
    expect((await request(appFor(new HealthRegistry())).get('/health/ready')).status).toBe(200);
    const live = await request(appFor(health)).get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'up', service: 'svc' });
  });

  it('flips readiness to 503 with per-check detail when one check fails', async () => {
    let scyllaUp = true;
    const health = new HealthRegistry()
      .register('scylla', async () => {
        if (!scyllaUp) throw new TypeError('connect ECONNREFUSED 10.1.2.3:9042');
      })
      .register('kafka', async () => ({ brokers: 3 }));
    const app = appFor(health);
    const up = await request(app).get('/health/ready');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'up',
      checks: { scylla: { status: 'up' }, kafka: { status: 'up', details: { brokers: 3 } } },
    });
    expect(up.headers['cache-control']).toBe('no-store');

    scyllaUp = false;
    const down = await request(app).get('/health/ready');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'down',
      checks: { scylla: { status: 'down', error: 'TypeError' }, kafka: { status: 'up' } },
    });
    expect(down.text).not.toContain('10.1.2.3');
  });

  it('fails a check that outlives its timeout and aborts its signal', async () => {
    let aborted = false;
    const health = new HealthRegistry().register(
      'slow',
      (signal) =>
        new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
          });
          setTimeout(resolve, 1_000).unref();
        }),
      { timeoutMs: 20 },
    );
    const report = await health.readiness();
    expect(report).toMatchObject({ status: 'down', checks: { slow: { status: 'down', error: 'timed out after 20 ms' } } });
    expect(aborted).toBe(true);
  });

  it('treats a check that throws synchronously as down', async () => {
    const health = new HealthRegistry().register('sync', () => {
      throw new RangeError('bad');
    });
    expect((await health.readiness()).checks.sync).toMatchObject({ status: 'down', error: 'RangeError' });
  });

  it('reports not ready once shutdown begins, without probing', async () => {
    const check = jest.fn(async () => undefined);
    const health = new HealthRegistry().register('scylla', check);
    health.markShuttingDown();
    const response = await request(appFor(health)).get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'down', reason: 'shutting-down', checks: {} });
    expect(check).not.toHaveBeenCalled();
  });

  it('refuses two checks with one name', () => {
    const health = new HealthRegistry().register('scylla', async () => undefined);
    expect(() => health.register('scylla', async () => undefined)).toThrow(/already registered/);
  });
});
