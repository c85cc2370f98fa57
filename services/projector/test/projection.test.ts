import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@scylla-es/es-core';
import { eventually } from '@scylla-es/es-core/testing';
import { startProjector, type RunningProjector } from '../src';
import { customerLife, orderLife, ORDER_PATHS } from './support/histories';
import { metricTotal, observationCount } from './support/metrics';
import { projectorFixture, READ_TOKEN, type ProjectorFixture } from './support/projector-fixture';
import { allPages, queryClient, type QueryClient } from './support/query-client';
import { replayedCustomer, replayedOrder, withoutProjectionTimes } from './support/replayed-models';

const CUSTOMERS = 6;
const ORDERS_PER_CUSTOMER = 5;

/** Rows of every read-model table, sorted, to compare the tables as a whole. */
async function tableContents(fixture: ProjectorFixture): Promise<string[]> {
  const tables = ['order_read_model', 'orders_by_customer', 'orders_by_status', 'order_status_days', 'customer_read_model'];
  const contents: string[] = [];
  for (const table of tables) {
    const result = await fixture.client.execute(`SELECT * FROM ${fixture.keyspace}.${table}`);
    contents.push(...result.rows.map((row) => `${table} ${JSON.stringify(row)}`));
  }
  return contents.sort();
}

/**
 * The projector on topics the test publishes to itself, in the relay's message format: the read models match
 * the domain's replay of event_store, replayed offsets change nothing, a withheld event is filled from
 * event_store, and listings page through every row once.
 */
describe('projector', () => {
  let fixture: ProjectorFixture;
  let projector: RunningProjector | undefined;
  let get: QueryClient;
  const customers: string[] = [];
  const ordersOf = new Map<string, string[]>();
  const published: RecordedEvent[] = [];

  const start = async () => {
    projector = await startProjector(fixture.env(), { collectDefaultMetrics: false });
    get = queryClient(projector.url, READ_TOKEN);
    await eventually(() => expect(projector?.joined()).toBe(true), 30_000, 100);
  };

  beforeAll(async () => {
    fixture = await projectorFixture('projector');
    await start();
  });
  afterAll(async () => {
    await projector?.close();
    await fixture?.drop();
  });

  it('builds every read model equal to the domain replay of event_store, status moves and cancellations included', async () => {
    const start = Date.now();
    for (let c = 0; c < CUSTOMERS; c++) {
      const customerId = randomUUID();
      customers.push(customerId);
      published.push(...(await fixture.append('Customer', customerId, 0, customerLife(customerId))));
      const orders: string[] = [];
      for (let o = 0; o < ORDERS_PER_CUSTOMER; o++) {
        const orderId = randomUUID();
        orders.push(orderId);
        const path = ORDER_PATHS[(c * ORDERS_PER_CUSTOMER + o) % ORDER_PATHS.length]!;
        published.push(...(await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, path, new Date(start + c * 100 + o * 10)))));
      }
      ordersOf.set(customerId, orders);
    }
    await fixture.publish(published);

    const lastVersion = new Map<string, number>();
    for (const event of published) lastVersion.set(event.aggregateId, event.sequence);
    await eventually(async () => {
      for (const [customerId, orders] of ordersOf) {
        for (const orderId of orders) expect((await get(`/orders/${orderId}`)).body.version).toBe(lastVersion.get(orderId));
        expect((await get(`/customers/${customerId}`)).body.orderCount).toBe(orders.length);
      }
    }, 60_000, 250);

    for (const [customerId, orders] of ordersOf) {
      const customer = await get(`/customers/${customerId}`);
      expect(withoutProjectionTimes(customer.body)).toEqual(await replayedCustomer(fixture.store, customerId));
      expect(customer.headers.get('etag')).toBe(`"${customer.body.version}"`);
      for (const orderId of orders) {
        const order = await get(`/orders/${orderId}`);
        expect(withoutProjectionTimes(order.body)).toEqual(await replayedOrder(fixture.store, orderId));
        expect(order.headers.get('etag')).toBe(`"${order.body.version}"`);
      }
      const listed = await allPages(get, `/customers/${customerId}/orders?limit=2`);
      expect(listed.rows.map((row) => row.orderId).sort()).toEqual([...orders].sort());
    }

    // Each order is in exactly one status listing: the one of its current status.
    const allOrders = [...ordersOf.values()].flat();
    const listedByStatus = new Map<string, string>();
    for (const status of ['Created', 'Confirmed', 'Shipped', 'Delivered', 'Cancelled']) {
      const { rows } = await allPages(get, `/orders?status=${status}&limit=7`);
      for (const row of rows) {
        expect(listedByStatus.has(row.orderId as string)).toBe(false);
        listedByStatus.set(row.orderId as string, status);
      }
    }
    expect([...listedByStatus.keys()].sort()).toEqual([...allOrders].sort());
    for (const orderId of allOrders) expect(listedByStatus.get(orderId)).toBe((await get(`/orders/${orderId}`)).body.status);

    // Each aggregate's events were published together: most were taken in runs, one write for several events.
    const registry = projector!.metrics.registry;
    const takings = await observationCount(registry, 'projector_apply_duration_seconds');
    expect(takings).toBeLessThan(await metricTotal(registry, 'projector_events_applied_total'));
  });

  it('pages newest first through every row exactly once, whatever the page size', async () => {
    const customerId = customers[0]!;
    const full = await allPages(get, `/customers/${customerId}/orders?limit=100`);
    expect(full.pages).toBe(1);
    for (const limit of [1, 2, 3]) {
      const paged = await allPages(get, `/customers/${customerId}/orders?limit=${limit}`);
      expect(paged.rows).toEqual(full.rows);
      expect(paged.pages).toBe(Math.ceil(full.rows.length / limit));
    }
    const createdTimes = full.rows.map((row) => Date.parse(row.createdAt as string));
    expect(createdTimes).toEqual([...createdTimes].sort((a, b) => b - a));

    const cancelled = await allPages(get, '/orders?status=Cancelled&limit=100');
    const pagedCancelled = await allPages(get, '/orders?status=Cancelled&limit=2');
    expect(pagedCancelled.rows).toEqual(cancelled.rows);
    expect(new Set(pagedCancelled.rows.map((row) => row.orderId)).size).toBe(cancelled.rows.length);
    const enteredTimes = cancelled.rows.map((row) => Date.parse(row.enteredAt as string));
    expect(enteredTimes).toEqual([...enteredTimes].sort((a, b) => b - a));
  });

  it('changes nothing when the group replays every offset from the beginning', async () => {
    // Replays what the first test published: run alone, there would be nothing to replay.
    expect(published.length).toBeGreaterThan(0);
    const before = await tableContents(fixture);
    await projector?.close();
    const admin = fixture.kafka.admin();
    await admin.connect();
    const groupId = `${fixture.keyspace}-projector`;
    for (const topic of [fixture.orderTopic, fixture.customerTopic]) await admin.resetOffsets({ groupId, topic, earliest: true });
    await admin.disconnect();

    await start();
    const registry = projector!.metrics.registry;
    await eventually(async () => expect(await metricTotal(registry, 'projector_events_skipped_total')).toBe(published.length), 60_000, 250);
    expect(await metricTotal(registry, 'projector_events_applied_total')).toBe(0);
    expect(await tableContents(fixture)).toEqual(before);
  });

  it('fills an event withheld from the topic from event_store before applying the next one', async () => {
    const orderId = randomUUID();
    const events = await fixture.append('Order', orderId, 0, orderLife(orderId, customers[1]!, ['created', 'confirmed', 'shipped', 'delivered']));
    await fixture.publish(events.filter((event) => event.sequence !== 3));

    await eventually(async () => expect((await get(`/orders/${orderId}`)).body.version).toBe(4), 30_000, 200);
    expect(withoutProjectionTimes((await get(`/orders/${orderId}`)).body)).toEqual(await replayedOrder(fixture.store, orderId));
    expect(await metricTotal(projector!.metrics.registry, 'projector_events_gap_filled_total')).toBe(1);
    const delivered = await allPages(get, '/orders?status=Delivered&limit=100');
    expect(delivered.rows.filter((row) => row.orderId === orderId)).toHaveLength(1);
    const shipped = await allPages(get, '/orders?status=Shipped&limit=100');
    expect(shipped.rows.filter((row) => row.orderId === orderId)).toHaveLength(0);
  });

  it('pages through a status listing once per row while other orders leave the status', async () => {
    const customerId = customers[2]!;
    const orderIds = Array.from({ length: 12 }, () => randomUUID());
    const firstCreated = Date.now();
    for (const [index, orderId] of orderIds.entries()) {
      await fixture.publish(await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, ['created'], new Date(firstCreated + index))));
    }
    await eventually(async () => {
      for (const orderId of orderIds) expect((await get(`/orders/${orderId}`)).body.version).toBe(1);
    }, 30_000, 200);
    const leaving = orderIds.filter((_, index) => index % 2 === 1);
    const staying = orderIds.filter((_, index) => index % 2 === 0);

    // Between two pages, one order leaves Created (confirmed), wherever it stands in the listing.
    const seen: string[] = [];
    let next: string | null = null;
    do {
      const page = await get(`/orders?status=Created&limit=3${next === null ? '' : `&cursor=${encodeURIComponent(next)}`}`);
      seen.push(...(page.body.orders as { orderId: string }[]).map((row) => row.orderId));
      next = page.body.next as string | null;
      const mover = leaving.shift();
      if (mover) {
        await fixture.publish(await fixture.append('Order', mover, 1, orderLife(mover, customerId, ['created', 'confirmed']).slice(1)));
        await eventually(async () => expect((await get(`/orders/${mover}`)).body.version).toBe(2), 30_000, 100);
      }
    } while (next !== null);

    expect(new Set(seen).size).toBe(seen.length);
    for (const orderId of staying) expect(seen.filter((seenId) => seenId === orderId)).toHaveLength(1);
  });
});
