import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createLogger } from '@scylla-es/es-core';
import { createBearerAuth, createHttpApp, createMetrics, HealthRegistry, listen, PROBLEM_CONTENT_TYPE } from '@scylla-es/es-core/service';
import { eventually } from '@scylla-es/es-core/testing';
import { CustomerTables, mountQueryRoutes, OrderListings, OrderTables, startProjector, type RunningProjector } from '../src';
import { customerLife, orderLife } from './support/histories';
import { projectorFixture, READ_TOKEN, WRITE_TOKEN, type ProjectorFixture } from './support/projector-fixture';
import { queryClient, type QueryClient } from './support/query-client';

const MIN_VERSION_WAIT_MS = 1_500;

/** The query API's answers: success with version and ETag, read-your-writes, and every kind of refusal. */
describe('query API', () => {
  let fixture: ProjectorFixture;
  let projector: RunningProjector | undefined;
  let get: QueryClient;
  const customerId = randomUUID();
  const orderId = randomUUID();

  beforeAll(async () => {
    fixture = await projectorFixture('queryapi');
    projector = await startProjector(fixture.env({ PROJECTOR_MIN_VERSION_WAIT_MS: String(MIN_VERSION_WAIT_MS) }), { collectDefaultMetrics: false });
    get = queryClient(projector.url, READ_TOKEN);
    await fixture.publish(await fixture.append('Customer', customerId, 0, customerLife(customerId)));
    await fixture.publish(await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, ['created'])));
    await eventually(async () => expect((await get(`/orders/${orderId}`)).status).toBe(200), 30_000, 100);
  });
  afterAll(async () => {
    await projector?.close();
    await fixture?.drop();
  });

  it('answers an order and a customer with the version they reflect as ETag', async () => {
    const order = await get(`/orders/${orderId}`);
    expect(order.body).toMatchObject({ id: orderId, customerId, status: 'Created', itemCount: 1, totalQuantity: 2, version: 1 });
    expect(order.headers.get('etag')).toBe('"1"');
    await eventually(async () => expect((await get(`/customers/${customerId}`)).body).toMatchObject({ orderCount: 1, version: 3, tier: 'Silver' }));
    expect((await get(`/customers/${customerId}`)).headers.get('etag')).toBe('"3"');
    const listing = await get(`/customers/${customerId}/orders`);
    expect(listing.body).toMatchObject({ customerId, orders: [{ orderId, status: 'Created', version: 1 }], next: null });
    expect(listing.headers.get('etag')).toMatch(/^W\/"/);
  });

  it('serves health and the projector metrics openly', async () => {
    expect((await fetch(`${projector!.url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${projector!.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: { status: 'up' }, consumer: { status: 'up' } } });
    const metrics = await (await fetch(`${projector!.url}/metrics`)).text();
    for (const series of [
      'projector_events_applied_total{',
      'projector_lag_seconds{aggregate_type="Order"',
      'projector_apply_duration_seconds_bucket{',
      'projector_consumer_lag{',
      'projector_paused_partitions',
      'projector_events_skipped_total',
      'projector_events_gap_filled_total',
    ]) {
      expect(metrics).toContain(series);
    }
  });

  it('waits for ?minVersion until the model reaches it', async () => {
    const waiting = get(`/orders/${orderId}?minVersion=2`);
    await fixture.publish(await fixture.append('Order', orderId, 1, orderLife(orderId, customerId, ['created', 'confirmed']).slice(1)));
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'Confirmed', version: 2 });
    expect(answer.headers.get('etag')).toBe('"2"');
  });

  it('says how far behind the model is when ?minVersion is not reached in time', async () => {
    const started = Date.now();
    const answer = await get(`/orders/${orderId}?minVersion=5`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MIN_VERSION_WAIT_MS);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(answer.headers.get('retry-after')).not.toBeNull();
    expect(answer.body).toMatchObject({ type: expect.stringContaining('read-model-behind'), wantedVersion: 5, currentVersion: 2, behindBy: 3 });
    const unknown = await get(`/orders/${randomUUID()}?minVersion=1`);
    expect(unknown.body).toMatchObject({ status: 503, wantedVersion: 1, currentVersion: 0, behindBy: 1 });
  });

  it.each([
    ['an id that is no UUID', '/orders/not-a-uuid'],
    ['a customer id that is no UUID', '/customers/42/orders'],
    ['a minVersion below 1', `/orders/${randomUUID()}?minVersion=0`],
    ['a minVersion that is no number', `/customers/${randomUUID()}?minVersion=soon`],
    ['an unknown query parameter', `/orders/${randomUUID()}?asOf=yesterday`],
    ['a listing without status', '/orders'],
    ['an unknown status', '/orders?status=Lost'],
    ['a limit above 100', '/orders?status=Created&limit=101'],
    ['a limit of 0', '/orders?status=Created&limit=0'],
    ['a made-up cursor', '/orders?status=Created&cursor=abc'],
    ['a repeated parameter', '/orders?status=Created&status=Shipped'],
  ])('answers 400 problem+json for %s', async (_case, path) => {
    const answer = await get(path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(answer.body.status).toBe(400);
  });

  it('refuses a cursor handed out for another listing', async () => {
    const otherId = randomUUID();
    await fixture.publish(await fixture.append('Order', otherId, 0, orderLife(otherId, customerId, ['created'])));
    await eventually(async () => expect((await get(`/customers/${customerId}/orders?limit=1`)).body.next).not.toBeNull());
    const cursor = (await get(`/customers/${customerId}/orders?limit=1`)).body.next as string;
    const answer = await get(`/customers/${randomUUID()}/orders?limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.type).toEqual(expect.stringContaining('invalid-cursor'));
  });

  it('answers 404 for an unknown order, customer or customer listing', async () => {
    for (const path of [`/orders/${randomUUID()}`, `/customers/${randomUUID()}`, `/customers/${randomUUID()}/orders`]) {
      const answer = await get(path);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    }
  });

  it('answers 401 without a token or with an unknown one, and serves any token that includes read', async () => {
    for (const token of [null, 'not-a-configured-token']) {
      const answer = await queryClient(projector!.url, token)(`/orders/${orderId}`);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    }
    expect((await queryClient(projector!.url, WRITE_TOKEN)(`/orders/${orderId}`)).status).toBe(200);
  });

  it('answers 403 to a token without the read scope', async () => {
    // AUTH_TOKENS cannot grant less than read (scopes nest), so the routes are mounted on an app whose auth knows
    // a token with no scope at all.
    const logger = createLogger('query-api-test', 'silent');
    const auth = createBearerAuth({ tokens: new Map([['scopeless-token', []]]) });
    const parts = {
      active: {
        orders: async () => new OrderTables(fixture.client, fixture.keyspace, 'a'),
        customers: async () => new CustomerTables(fixture.client, fixture.keyspace, 'a'),
        listings: async () => new OrderListings(fixture.client, fixture.keyspace, 'a'),
      },
      minVersionWaitMs: 0,
    };
    const app = createHttpApp(
      { service: 'query-api-test', logger, metrics: createMetrics('query-api-test', { collectDefaultMetrics: false }), health: new HealthRegistry(logger), auth },
      (express) => mountQueryRoutes(express, auth, parts),
    );
    const { server, port } = await listen(app, 0, '127.0.0.1');
    try {
      const answer = await queryClient(`http://127.0.0.1:${port}`, 'scopeless-token')(`/orders/${orderId}`);
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ status: 403, requiredScope: 'read' });
    } finally {
      await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
    }
  });
});
