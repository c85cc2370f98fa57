import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { eventually, repositoryRoot } from '@scylla-es/es-core/testing';
import { startCdcRelay, type RunningCdcRelay } from '../src';
import { collect, killed, relayFixture, type RelayFixture } from './support/relay-fixture';

const PORT = 3_800 + Math.floor(Math.random() * 100);
const TOKEN = 'end-to-end-writer-token';

/**
 * The whole write path with real processes: REST command → command-service → one conditional batch in
 * event_store → CDC log → cdc-relay → Kafka, checked from the consumer's side.
 */
describe('REST → event_store → CDC → Kafka', () => {
  let fixture: RelayFixture;
  let relay: RunningCdcRelay | undefined;
  let commandService: ChildProcess | undefined;
  const base = `http://127.0.0.1:${PORT}`;

  const send = async (method: string, route: string, body?: object) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as { id: string; version: number };
  };

  beforeAll(async () => {
    fixture = await relayFixture('endtoend');
    const env = fixture.env({ RELAY_TOPICS: 'orders.events,customers.events', PORT: String(PORT), AUTH_TOKENS: `${TOKEN}:write` });
    commandService = fork(path.join(repositoryRoot(), 'services', 'command-service', 'dist', 'main.js'), [], {
      env,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await eventually(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), 60_000, 250);
    relay = await startCdcRelay({ ...env, PORT: '0' }, { collectDefaultMetrics: false });
  });
  afterAll(async () => {
    // Each step runs even if start-up failed half-way, so no client is left open to hold Jest.
    await relay?.close();
    if (commandService) await killed(commandService);
    await fixture?.drop();
  });

  it('publishes the events of accepted commands to their topics, keyed by aggregate, in order', async () => {
    const orders = await collect(fixture.kafka, 'orders.events');
    const customers = await collect(fixture.kafka, 'customers.events');
    const customer = await send('POST', '/customers', {
      email: `e2e-${randomUUID()}@example.com`,
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    const order = await send('POST', '/orders', { customerId: customer.id, items: [{ productId: randomUUID(), quantity: 3 }] });
    await send('POST', `/orders/${order.id}/confirm`);
    await send('POST', `/orders/${order.id}/ship`, { trackingNumber: 'TRACK-1', carrier: 'DHL' });
    await send('POST', `/orders/${order.id}/deliver`, { signature: 'G. Hopper' });

    await eventually(() => {
      expect(orders.received.filter((event) => event.key === order.id)).toHaveLength(4);
      expect(customers.received.filter((event) => event.key === customer.id)).toHaveLength(1);
    }, 30_000, 200);
    await Promise.all([orders.stop(), customers.stop()]);

    const orderEvents = orders.received.filter((event) => event.key === order.id);
    expect(orderEvents.map((event) => [event.sequence, event.headers['event-type']])).toEqual([
      [1, 'OrderCreated'],
      [2, 'OrderConfirmed'],
      [3, 'OrderShipped'],
      [4, 'OrderDelivered'],
    ]);
    expect(customers.received.find((event) => event.key === customer.id)?.headers['event-type']).toBe('CustomerRegistered');
  });
});
