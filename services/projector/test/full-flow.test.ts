import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { eventually } from '@scylla-es/es-core/testing';
import { startProjector, type RunningProjector } from '../src';
import { spawnService, stopped } from './support/processes';
import { projectorFixture, READ_TOKEN, WRITE_TOKEN, type ProjectorFixture } from './support/projector-fixture';
import { allPages, queryClient, type QueryClient } from './support/query-client';
import { replayedCustomer, replayedOrder, withoutProjectionTimes } from './support/replayed-models';

const CUSTOMERS = 8;
const ORDERS_PER_CUSTOMER = 4;
const COMMAND_PORT = 3_900 + Math.floor(Math.random() * 90);
const RELAY_PORT = COMMAND_PORT + 100;

type Step = 'items' | 'confirm' | 'ship' | 'deliver' | 'cancel';
/** Every life an order can have through the REST commands: each status move, cancellations at each stage. */
const ORDER_LIVES: readonly (readonly Step[])[] = [
  [],
  ['items'],
  ['confirm'],
  ['confirm', 'ship'],
  ['confirm', 'ship', 'deliver'],
  ['cancel'],
  ['items', 'confirm', 'cancel'],
  ['confirm', 'ship', 'cancel'],
];

/**
 * The whole pipeline with real processes: REST → command-service → event_store → CDC → cdc-relay → Kafka →
 * projector. Every read model ends equal, field by field, to the domain's replay of event_store.
 */
describe('REST → command-service → event_store → CDC → relay → Kafka → projector', () => {
  let fixture: ProjectorFixture;
  let commandService: ChildProcess | undefined;
  let relay: ChildProcess | undefined;
  let projector: RunningProjector | undefined;
  let get: QueryClient;
  const commandBase = `http://127.0.0.1:${COMMAND_PORT}`;

  const send = async (method: string, path: string, body?: object): Promise<{ id?: string; version: number }> => {
    const response = await fetch(`${commandBase}${path}`, {
      method,
      headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as { id?: string; version: number };
  };

  beforeAll(async () => {
    fixture = await projectorFixture('fullflow');
    // The command-service publishes to the domain's topics, shared by every run on this broker: a fresh group
    // starting at their end sees only this run's events.
    const env = fixture.env({
      PROJECTOR_TOPICS: 'orders.events,customers.events',
      PROJECTOR_START_FROM: 'latest',
      RELAY_TOPICS: 'orders.events,customers.events',
      DEAD_LETTER_TOPIC: `${fixture.keyspace}.dead-letters`,
      CDC_WINDOW_MS: '2000',
      CDC_CONFIDENCE_WINDOW_MS: '1500',
      CDC_POLL_INTERVAL_MS: '200',
      CDC_LOOKBACK_MS: '120000',
    });
    projector = await startProjector(env, { collectDefaultMetrics: false });
    get = queryClient(projector.url, READ_TOKEN);
    await eventually(() => expect(projector?.joined()).toBe(true), 30_000, 100);
    commandService = spawnService('command-service', { ...env, PORT: String(COMMAND_PORT) });
    relay = spawnService('cdc-relay', { ...env, PORT: String(RELAY_PORT) });
    await eventually(async () => expect((await fetch(`${commandBase}/health/ready`)).status).toBe(200), 60_000, 250);
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${RELAY_PORT}/health/ready`)).status).toBe(200), 60_000, 250);
    // A migrated keyspace, the projector joining its group and two services starting: more than the default 60 s
    // on a loaded machine (the schema is durable DDL, and it grows with every migration).
  }, 180_000);
  afterAll(async () => {
    await stopped(relay);
    await stopped(commandService);
    await projector?.close();
    await fixture?.drop();
  });

  it('projects a few dozen aggregates through the pipeline into models equal to the replay of event_store', async () => {
    const customers: string[] = [];
    const orders: { id: string; customerId: string; version: number }[] = [];
    const customerVersions = new Map<string, number>();
    for (let c = 0; c < CUSTOMERS; c++) {
      const customer = await send('POST', '/customers', { email: `flow-${randomUUID()}@example.com`, firstName: 'Grace', lastName: 'Hopper' });
      const customerId = customer.id as string;
      customers.push(customerId);
      let customerVersion = (await send('POST', `/customers/${customerId}/tier`, { tier: c % 2 === 0 ? 'Gold' : 'Silver' })).version;
      for (let o = 0; o < ORDERS_PER_CUSTOMER; o++) {
        const created = await send('POST', '/orders', { customerId, items: [{ productId: randomUUID(), quantity: 1 + o }] });
        const id = created.id as string;
        let version = created.version;
        for (const step of ORDER_LIVES[(c * ORDERS_PER_CUSTOMER + o) % ORDER_LIVES.length]!) {
          if (step === 'items') version = (await send('PUT', `/orders/${id}/items`, { items: [{ productId: randomUUID(), quantity: 7 }] })).version;
          if (step === 'confirm') version = (await send('POST', `/orders/${id}/confirm`)).version;
          if (step === 'ship') version = (await send('POST', `/orders/${id}/ship`, { trackingNumber: `T-${o}`, carrier: 'UPS' })).version;
          if (step === 'deliver') version = (await send('POST', `/orders/${id}/deliver`, { signature: 'G. Hopper' })).version;
          if (step === 'cancel') version = (await send('POST', `/orders/${id}/cancel`, { reason: 'changed mind' })).version;
        }
        orders.push({ id, customerId, version });
      }
      if (c % 3 === 0) {
        await send('POST', `/customers/${customerId}/suspend`, { reason: 'review' });
        customerVersion = (await send('POST', `/customers/${customerId}/reactivate`, {})).version;
      }
      customerVersions.set(customerId, customerVersion);
    }

    // Read-your-writes: the version each command answered, asked for with ?minVersion.
    await eventually(async () => {
      for (const order of orders) expect((await get(`/orders/${order.id}?minVersion=${order.version}`)).status).toBe(200);
      for (const [customerId, version] of customerVersions) expect((await get(`/customers/${customerId}?minVersion=${version}`)).status).toBe(200);
    }, 90_000, 500);

    for (const order of orders) {
      const body = (await get(`/orders/${order.id}`)).body;
      expect(withoutProjectionTimes(body)).toEqual(await replayedOrder(fixture.store, order.id));
    }
    for (const customerId of customers) {
      const body = (await get(`/customers/${customerId}`)).body;
      expect(withoutProjectionTimes(body)).toEqual(await replayedCustomer(fixture.store, customerId));
      expect(body.orderCount).toBe(ORDERS_PER_CUSTOMER);
      const listed = await allPages(get, `/customers/${customerId}/orders?limit=3`);
      expect(listed.rows.map((row) => row.orderId).sort()).toEqual(orders.filter((order) => order.customerId === customerId).map((order) => order.id).sort());
    }
    const statusOf = new Map<string, string>();
    for (const status of ['Created', 'Confirmed', 'Shipped', 'Delivered', 'Cancelled']) {
      for (const row of (await allPages(get, `/orders?status=${status}&limit=10`)).rows) {
        expect(statusOf.has(row.orderId as string)).toBe(false);
        statusOf.set(row.orderId as string, status);
      }
    }
    expect([...statusOf.keys()].sort()).toEqual(orders.map((order) => order.id).sort());
    for (const order of orders) expect(statusOf.get(order.id)).toBe((await get(`/orders/${order.id}`)).body.status);
  });
});
