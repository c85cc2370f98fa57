import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { orderStatuses } from '@scylla-es/domain';
import type { RecordedEvent } from '@scylla-es/es-core';
import { eventually } from '@scylla-es/es-core/testing';
import { projectOrderEvent } from '../src/orders/order-projection';
import type { OrderView } from '../src/orders/order-view';
import { statusDayOf } from '../src/orders/status-day';
import { customerLife, orderLife, ORDER_PATHS } from './support/histories';
import { killed, spawnService, stopped } from './support/processes';
import { projectorFixture, type ProjectorFixture } from './support/projector-fixture';
import { allPages, queryClient } from './support/query-client';
import { replayedCustomer, replayedOrder, withoutProjectionTimes } from './support/replayed-models';

jest.setTimeout(300_000);

const PORT = 3_700 + Math.floor(Math.random() * 100);
const ADMIN_TOKEN = 'projector-admin-token';
const CUSTOMERS = 60;
const ORDERS_PER_CUSTOMER = 8;

interface Stream {
  readonly id: string;
  readonly type: 'Order' | 'Customer';
  readonly customerId: string;
  readonly events: RecordedEvent[];
}

/** Rebuilds from event_store while events keep arriving and queries keep answering; cancelled; SIGKILLed half-way. */
describe('projection rebuild', () => {
  let fixture: ProjectorFixture;
  let projector: ChildProcess | undefined;
  const base = `http://127.0.0.1:${PORT}`;
  const get = queryClient(base, ADMIN_TOKEN);
  const admin = async (method: 'POST' | 'DELETE', path: string) => {
    const response = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
  };
  const streams: Stream[] = [];

  const start = async () => {
    projector = spawnService(
      'projector',
      fixture.env({
        PORT: String(PORT),
        AUTH_TOKENS: `${ADMIN_TOKEN}:admin`,
        PROJECTOR_SESSION_TIMEOUT_MS: '6000',
        PROJECTOR_COPIES_MAX_AGE_MS: '200',
        PROJECTOR_REBUILD_LEASE_MS: '2000',
        PROJECTOR_REBUILD_RANGES: '64',
        PROJECTOR_REBUILD_CONCURRENCY: '2',
        PROJECTOR_REBUILD_PAGE_SIZE: '100',
      }),
    );
    await eventually(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), 60_000, 100);
  };

  /** New customers with their orders, appended to event_store; their events are returned interleaved as a live load. */
  async function appendLoad(customers: number): Promise<RecordedEvent[]> {
    const added: Stream[] = [];
    for (let c = 0; c < customers; c++) {
      const customerId = randomUUID();
      added.push({ id: customerId, type: 'Customer', customerId, events: await fixture.append('Customer', customerId, 0, customerLife(customerId)) });
      await Promise.all(
        Array.from({ length: ORDERS_PER_CUSTOMER }, async (_, o) => {
          const orderId = randomUUID();
          const path = ORDER_PATHS[(c + o) % ORDER_PATHS.length]!;
          added.push({ id: orderId, type: 'Order', customerId, events: await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, path)) });
        }),
      );
    }
    streams.push(...added);
    const load: RecordedEvent[] = [];
    for (let round = 0; added.some((stream) => stream.events.length > round); round++) {
      for (const stream of added) if (stream.events[round]) load.push(stream.events[round]!);
    }
    return load;
  }

  const status = async (projection: string) => (await get(`/admin/projections/${projection}`)).body as {
    active: string;
    phase: string;
    rebuild: { id: string; ranges: { total: number; done: number }; streams: number; events: number } | null;
  };

  const finished = (projection: string, active: string) =>
    eventually(async () => expect(await status(projection)).toMatchObject({ phase: 'idle', active, rebuild: null }), 120_000, 100);

  /** Every model the query API answers equals the domain's replay of event_store. */
  async function expectModelsEqualReplay() {
    await eventually(async () => {
      for (const stream of streams) {
        const path = stream.type === 'Order' ? `/orders/${stream.id}` : `/customers/${stream.id}`;
        expect((await get(path)).body.version).toBe(stream.events.length);
      }
    }, 120_000, 200);
    for (const stream of streams) {
      if (stream.type === 'Order') {
        expect(withoutProjectionTimes((await get(`/orders/${stream.id}`)).body)).toEqual(await replayedOrder(fixture.store, stream.id));
        continue;
      }
      const customer = (await get(`/customers/${stream.id}`)).body;
      expect(withoutProjectionTimes(customer)).toEqual(await replayedCustomer(fixture.store, stream.id));
      expect(customer.orderCount).toBe(ORDERS_PER_CUSTOMER);
      const listed = await allPages(get, `/customers/${stream.id}/orders?limit=100`);
      const own = streams.filter((order) => order.type === 'Order' && order.customerId === stream.id).map((order) => order.id);
      expect(listed.rows.map((row) => row.orderId).sort()).toEqual(own.sort());
    }
    const orders = streams.filter((stream) => stream.type === 'Order');
    const statusOf = new Map<string, unknown>();
    for (const status of orderStatuses) {
      for (const row of (await allPages(get, `/orders?status=${status}&limit=100`)).rows) {
        expect(statusOf.has(row.orderId as string)).toBe(false);
        statusOf.set(row.orderId as string, row.status);
      }
    }
    for (const order of orders) expect(statusOf.get(order.id)).toBe((await get(`/orders/${order.id}`)).body.status);
    expect(statusOf.size).toBe(orders.length);
  }

  /** The (status, day) rows of a copy's order_status_days: a rebuilt copy must hold every day the live one did. */
  async function statusDays(suffix: '' | '_b'): Promise<string[]> {
    const result = await fixture.client.execute(`SELECT status, day FROM ${fixture.keyspace}.order_status_days${suffix}`);
    return result.rows.map((row) => `${row.get('status') as string}/${row.get('day') as string}`).sort();
  }

  beforeAll(async () => {
    fixture = await projectorFixture('projrebuild');
    await start();
  });
  afterAll(async () => {
    await stopped(projector);
    await fixture?.drop();
  });

  it('rebuilds the orders during a load: queries answer throughout, the rebuilt copy equals the live one and the replay', async () => {
    await fixture.publish(await appendLoad(CUSTOMERS / 2));
    await expectModelsEqualReplay();
    const liveDays = await statusDays('');

    const requested = await admin('POST', '/admin/projections/orders/rebuild');
    expect(requested.status).toBe(202);
    const again = await admin('POST', '/admin/projections/orders/rebuild');
    expect(again.status).toBe(409);
    expect(again.type).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, rebuildId: requested.body.rebuildId });

    // The second half of the load goes out while the rebuild runs; a query is answered between each part.
    const load = await appendLoad(CUSTOMERS / 2);
    const part = Math.ceil(load.length / 10);
    const probe = streams[0]!;
    for (let from = 0; from < load.length; from += part) {
      await fixture.publish(load.slice(from, from + part));
      expect((await get(`/orders/${streams[1]!.id}`)).status).toBe(200);
      expect((await get(`/customers/${probe.id}`)).status).toBe(200);
    }
    await finished('orders', 'b');
    await expectModelsEqualReplay();
    expect(await statusDays('_b')).toEqual(expect.arrayContaining(liveDays));
    expect(await statusDays('_b')).toEqual(await statusDaysReplayed());
    // The old copy is dropped.
    expect((await fixture.client.execute(`SELECT order_id FROM ${fixture.keyspace}.order_read_model LIMIT 1`)).rowLength).toBe(0);
  });

  it('cancels a rebuild: the half-filled copy is dropped and queries stay on the active one', async () => {
    const requested = await admin('POST', '/admin/projections/customers/rebuild');
    expect(requested.status).toBe(202);
    const cancelled = await admin('DELETE', '/admin/projections/customers/rebuild');
    expect(cancelled.status).toBe(202);
    await finished('customers', 'a');
    expect((await fixture.client.execute(`SELECT customer_id FROM ${fixture.keyspace}.customer_read_model_b LIMIT 1`)).rowLength).toBe(0);
    expect((await admin('DELETE', '/admin/projections/customers/rebuild')).status).toBe(409);
    await expectModelsEqualReplay();
  });

  it('resumes a rebuild whose instance was SIGKILLed half-way, without scanning the finished ranges again', async () => {
    const requested = await admin('POST', '/admin/projections/customers/rebuild');
    expect(requested.status).toBe(202);
    const rebuildId = requested.body.rebuildId as string;
    await eventually(async () => expect((await status('customers')).rebuild?.ranges.done).toBeGreaterThan(0), 60_000, 10);
    await killed(projector);

    const persisted = await fixture.client.execute(`SELECT done FROM ${fixture.keyspace}.projection_rebuild_ranges WHERE rebuild_id = ?`, [rebuildId], { prepare: true });
    const doneBeforeKill = persisted.rows.filter((row) => row.get('done') === true).length;
    expect(doneBeforeKill).toBeGreaterThan(0);
    expect(doneBeforeKill).toBeLessThan(64);

    await start();
    await finished('customers', 'b');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const scanned = /projector_rebuild_ranges_scanned_total\{[^}]*projection="customers"[^}]*\} (\d+)/.exec(metrics)?.[1];
    expect(Number(scanned)).toBe(64 - doneBeforeKill);
    await expectModelsEqualReplay();
  });

  /** order_status_days as the live projection leaves it: a day for every status entry each order passed through. */
  async function statusDaysReplayed(): Promise<string[]> {
    const days = new Set<string>();
    for (const stream of streams.filter((each) => each.type === 'Order')) {
      let view: OrderView | null = null;
      for await (const event of fixture.store.read(stream.id)) {
        view = projectOrderEvent(view, event);
        days.add(`${view.order.status}/${statusDayOf(view.statusEnteredAt)}`);
      }
    }
    return [...days].sort();
  }
});
