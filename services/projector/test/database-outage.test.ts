import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, TcpProxy } from '@scylla-es/es-core/testing';
import { customerLife, orderLife } from './support/histories';
import { spawnService, stopped } from './support/processes';
import { engines, projectorFixture, READ_TOKEN, type ProjectorFixture } from './support/projector-fixture';
import { queryClient, type QueryClient } from './support/query-client';
import { replayedOrder, withoutProjectionTimes } from './support/replayed-models';

jest.setTimeout(240_000);

const PORT = 3_700 + Math.floor(Math.random() * 100);
const OUTAGE_MS = 10_000;

/** The sum of a series in a Prometheus text exposition, every label combination together. */
function metricTotal(exposition: string, name: string): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

// The projector runs as its own process: cassandra-driver leaves a reconnection timer behind after an outage,
// which would keep an in-process test runner alive (see the command-service's outage test).
describe('database outage', () => {
  let fixture: ProjectorFixture;
  let proxy: TcpProxy;
  let projector: ChildProcess | undefined;
  let get: QueryClient;
  const base = `http://127.0.0.1:${PORT}`;
  const scrape = async () => (await fetch(`${base}/metrics`)).text();

  beforeAll(async () => {
    fixture = await projectorFixture('projout');
    const [host = '127.0.0.1', port = '9042'] = (engines.cqlContactPoints[0] ?? '').split(':');
    proxy = new TcpProxy(host, Number(port));
    await proxy.start();
    projector = spawnService('projector', fixture.env({ SCYLLA_NODES: proxy.address, PORT: String(PORT) }));
    get = queryClient(base, READ_TOKEN);
    await eventually(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), 60_000, 250);
  });
  afterAll(async () => {
    await proxy?.start().catch(() => undefined);
    await stopped(projector);
    await proxy?.stop();
    await fixture?.drop();
  });

  it('pauses while the database is unreachable, then applies everything in order, skipping nothing', async () => {
    const customerId = randomUUID();
    const orderIds = [randomUUID(), randomUUID(), randomUUID()];
    await fixture.publish(await fixture.append('Customer', customerId, 0, customerLife(customerId)));
    const lives = orderIds.map((orderId) => orderLife(orderId, customerId, ['created', 'confirmed', 'shipped', 'delivered']));
    for (const [index, orderId] of orderIds.entries()) await fixture.publish(await fixture.append('Order', orderId, 0, lives[index]!.slice(0, 1)));
    // Every write of this first part is done, the customer's recount after each new order included: a write cut
    // by the outage would be redone afterwards and counted as a duplicate rather than applied.
    await eventually(async () => {
      for (const orderId of orderIds) expect((await get(`/orders/${orderId}`)).body.version).toBe(1);
      expect((await get(`/customers/${customerId}`)).body).toMatchObject({ version: 3, orderCount: orderIds.length });
    }, 30_000, 200);

    await proxy.stop();
    for (const [index, orderId] of orderIds.entries()) await fixture.publish(await fixture.append('Order', orderId, 1, lives[index]!.slice(1)));
    await eventually(async () => {
      const metrics = await scrape();
      expect(metricTotal(metrics, 'projector_apply_failures_total')).toBeGreaterThan(0);
      expect(metricTotal(metrics, 'projector_paused_partitions')).toBeGreaterThan(0);
    }, 30_000, 250);
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    await sleep(OUTAGE_MS);

    await proxy.start();
    await eventually(async () => {
      for (const orderId of orderIds) expect((await get(`/orders/${orderId}`)).body.version).toBe(4);
    }, 120_000, 500);
    for (const orderId of orderIds) expect(withoutProjectionTimes((await get(`/orders/${orderId}`)).body)).toEqual(await replayedOrder(fixture.store, orderId));
    const metrics = await scrape();
    // Had the consumer skipped an event during the outage, the next one would have needed a gap fill.
    expect(metricTotal(metrics, 'projector_events_gap_filled_total')).toBe(0);
    expect(metricTotal(metrics, 'projector_events_applied_total')).toBe(3 + orderIds.length * 4);
    await eventually(async () => expect(metricTotal(await scrape(), 'projector_paused_partitions')).toBe(0), 30_000, 250);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
  });
});
