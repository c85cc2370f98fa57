import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { types } from 'cassandra-driver';
import { apiClient, expectProblem, type ApiClient } from './support/http';
import { createOrder, items, registerCustomer } from './support/fixtures';
import { startTestService, testEnvironment, type TestService } from './support/service';
import { startCommandService } from '../src/service';
import { createLogger } from '@scylla-es/es-core';

jest.setTimeout(120_000);

const SNAPSHOT_EVERY = 4;

interface EventView {
  readonly sequence: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly occurredAt: string;
  readonly data: Record<string, unknown>;
}

describe('history: time travel, paging, snapshots and upcasting', () => {
  let test: TestService;
  let api: ApiClient;

  beforeAll(async () => {
    // No in-memory states here: loads must go through the snapshot rows this suite is about.
    test = await startTestService('cmdhist', { SNAPSHOT_EVERY: String(SNAPSHOT_EVERY), AGGREGATE_CACHE_SIZE: '0' });
    api = apiClient(test.url);
  }, 180_000);
  afterAll(async () => test?.stop());

  /** Commands in separate milliseconds, so every event has its own occurred-at. */
  const spaced = async <T>(action: () => Promise<T>): Promise<T> => {
    await sleep(3);
    return action();
  };

  describe('time travel', () => {
    let orderId: string;
    let events: EventView[];

    beforeAll(async () => {
      const customerId = await registerCustomer(api);
      orderId = await createOrder(api, customerId);
      await spaced(() => api.put(`/orders/${orderId}/items`, { items: items(2) }));
      await spaced(() => api.post(`/orders/${orderId}/confirm`));
      await spaced(() => api.post(`/orders/${orderId}/ship`, { trackingNumber: 'TRK-9', carrier: 'UPS' }));
      events = (await api.get(`/orders/${orderId}/events`)).body.events as EventView[];
    });

    it('answers the state after version N with that version as ETag', async () => {
      const atTwo = await api.get(`/orders/${orderId}?version=2`);
      expect(atTwo.status).toBe(200);
      expect(atTwo.headers.get('etag')).toBe('"2"');
      expect(atTwo.body).toMatchObject({ id: orderId, status: 'Created', version: 2 });
      expect(atTwo.body.items).toHaveLength(2);
      const head = await api.get(`/orders/${orderId}`);
      expect(head.body).toMatchObject({ status: 'Shipped', trackingNumber: 'TRK-9', carrier: 'UPS', version: 4 });
      expect(head.headers.get('etag')).toBe('"4"');
    });

    it('answers the state as of an instant', async () => {
      const confirmedAt = new Date((events[2] as EventView).occurredAt);
      const atConfirm = await api.get(`/orders/${orderId}?asOf=${confirmedAt.toISOString()}`);
      expect(atConfirm.body).toMatchObject({ status: 'Confirmed', version: 3 });
      const justBefore = await api.get(`/orders/${orderId}?asOf=${new Date(confirmedAt.getTime() - 1).toISOString()}`);
      expect(justBefore.body).toMatchObject({ status: 'Created', version: 2 });
      const withOffset = await api.get(`/orders/${orderId}?asOf=${encodeURIComponent('2999-01-01T00:00:00+02:00')}`);
      expect(withOffset.body).toMatchObject({ status: 'Shipped', version: 4 });
      const beforeCreation = await api.get(`/orders/${orderId}?asOf=2000-01-01T00:00:00Z`);
      expectProblem(beforeCreation, 404, 'order-not-found');
    });

    it.each([
      ['version=0', 400, 'validation-failed'],
      ['version=-1', 400, 'validation-failed'],
      ['version=abc', 400, 'validation-failed'],
      ['version=1&version=2', 400, 'validation-failed'],
      ['asOf=yesterday', 400, 'validation-failed'],
      ['version=1&asOf=2020-01-01T00:00:00Z', 400, 'validation-failed'],
      ['version=99', 404, 'aggregate-version-not-found'],
    ])('rejects ?%s with %i', async (query, status, slug) => {
      expectProblem(await api.get(`/orders/${orderId}?${query}`), status, slug);
    });

    it('pages through the history with a next cursor', async () => {
      const first = await api.get(`/orders/${orderId}/events?limit=3`);
      expect((first.body.events as EventView[]).map((event) => event.sequence)).toEqual([1, 2, 3]);
      expect(first.body.next).toBe(4);
      const second = await api.get(`/orders/${orderId}/events?from=${first.body.next}&limit=3`);
      expect((second.body.events as EventView[]).map((event) => event.type)).toEqual(['OrderShipped']);
      expect(second.body.next).toBeNull();
      const past = await api.get(`/orders/${orderId}/events?from=50`);
      expect(past.status).toBe(200);
      expect(past.body).toMatchObject({ events: [], next: null });
      expectProblem(await api.get(`/orders/${orderId}/events?limit=1001`), 400, 'validation-failed');
      expectProblem(await api.get(`/orders/${randomUUID()}/events`), 404, 'order-not-found');
    });
  });

  describe('snapshots and upcasters', () => {
    /** A legacy history: schema version 1, snake_case payloads. */
    async function writeLegacyOrder(orderId: string, customerId: string, productId: string): Promise<void> {
      const table = `${test.keyspace}.event_store`;
      const at = (iso: string) => new Date(iso);
      const legacy = [
        {
          type: 'OrderCreated',
          version: 1,
          occurredAt: at('2024-03-01T10:00:00Z'),
          data: { order_id: orderId, created_at: '2024-03-01T10:00:00+00:00', customer_id: customerId, items: [{ product_id: productId, quantity: 3 }] },
        },
        { type: 'OrderConfirmed', version: 1, occurredAt: at('2024-03-01T11:00:00Z'), data: { confirmedAt: '2024-03-01T11:00:00Z' } },
        {
          type: 'OrderShipped',
          version: 1,
          occurredAt: at('2024-03-02T09:30:00Z'),
          data: { tracking_number: 'LEGACY-TRK', carrier: 'Legacy Post', shipped_at: '2024-03-02T09:30:00+00:00' },
        },
      ];
      const insert = `INSERT INTO ${table} (aggregate_id, sequence, event_id, event_type, schema_version, data, metadata,
        occurred_at, recorded_at, command_id, topic, message_key, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
      await test.cql.batch(
        [
          { query: `UPDATE ${table} SET version = ?, aggregate_type = ? WHERE aggregate_id = ?`, params: [types.Long.fromNumber(3), 'Order', orderId] },
          ...legacy.map((event, index) => ({
            query: insert,
            params: [
              orderId,
              types.Long.fromNumber(index + 1),
              types.Uuid.random(),
              event.type,
              event.version,
              JSON.stringify(event.data),
              JSON.stringify({ correlationId: 'legacy-import' }),
              event.occurredAt,
              event.occurredAt,
              null,
              'orders.events',
              orderId,
              {},
            ],
          })),
        ],
        { prepare: true, logged: true },
      );
    }

    it('reads a legacy v1 history through the upcasters, snapshots it, and loads from the snapshot', async () => {
      const customerId = await registerCustomer(api);
      const orderId = randomUUID();
      const productId = randomUUID();
      await writeLegacyOrder(orderId, customerId, productId);

      const legacy = await api.get(`/orders/${orderId}`);
      expect(legacy.status).toBe(200);
      expect(legacy.body).toEqual({
        id: orderId,
        customerId,
        items: [{ productId, quantity: 3 }],
        status: 'Shipped',
        createdAt: '2024-03-01T10:00:00.000Z',
        updatedAt: '2024-03-02T09:30:00.000Z',
        trackingNumber: 'LEGACY-TRK',
        carrier: 'Legacy Post',
        version: 3,
      });
      const history = (await api.get(`/orders/${orderId}/events`)).body.events as EventView[];
      expect(history.map((event) => [event.type, event.schemaVersion])).toEqual([
        ['OrderCreated', 2],
        ['OrderConfirmed', 1],
        ['OrderShipped', 2],
      ]);
      expect(history[2]?.data).toEqual({ trackingNumber: 'LEGACY-TRK', carrier: 'Legacy Post', shippedAt: '2024-03-02T09:30:00.000Z' });

      // Version 3 → 4 crosses a multiple of SNAPSHOT_EVERY: the command-service writes a snapshot.
      const delivered = await api.post(`/orders/${orderId}/deliver`, { signature: 'J. Doe' });
      expect(delivered.body).toEqual({ id: orderId, version: 4 });
      const snapshot = (
        await test.cql.execute(
          `SELECT sequence, state, state_version FROM ${test.keyspace}.aggregate_snapshots WHERE aggregate_id = ?`,
          [orderId],
          { prepare: true },
        )
      ).first();
      expect((snapshot?.get('sequence') as types.Long).toNumber()).toBe(4);
      expect(JSON.parse(snapshot?.get('state') as string)).toMatchObject({ status: 'Delivered', trackingNumber: 'LEGACY-TRK', signature: 'J. Doe' });

      // Tamper with a stored event behind the service's back: a load from the snapshot does not see it,
      // a full replay (asOf ignores snapshots) does. That proves loads start from the snapshot.
      await test.cql.execute(
        `UPDATE ${test.keyspace}.event_store SET data = ? WHERE aggregate_id = ? AND sequence = ?`,
        [JSON.stringify({ tracking_number: 'TAMPERED', carrier: 'Legacy Post', shipped_at: '2024-03-02T09:30:00Z' }), orderId, types.Long.fromNumber(3)],
        { prepare: true },
      );
      const fromSnapshot = await api.get(`/orders/${orderId}`);
      expect(fromSnapshot.body).toMatchObject({ status: 'Delivered', trackingNumber: 'LEGACY-TRK', signature: 'J. Doe', version: 4 });
      const replayed = await api.get(`/orders/${orderId}?asOf=2999-01-01T00:00:00Z`);
      expect(replayed.body).toMatchObject({ status: 'Delivered', trackingNumber: 'TAMPERED', version: 4 });
      // Time travel below the snapshot replays from the start.
      expect((await api.get(`/orders/${orderId}?version=3`)).body).toMatchObject({ trackingNumber: 'TAMPERED', version: 3 });
    });

    it('gives the same customer from snapshot + tail as from a full replay', async () => {
      const customerId = await registerCustomer(api, { phone: '+1 555 0100' });
      const addressId = randomUUID();
      const address = { street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
      const steps = [
        () => api.post(`/customers/${customerId}/addresses`, { addressId, address, setAsDefault: true }),
        () => api.post(`/customers/${customerId}/payment-methods`, { paymentMethodId: randomUUID(), type: 'CreditCard', lastFour: '4242', setAsDefault: true }),
        () => api.post(`/customers/${customerId}/tier`, { tier: 'Gold' }),
        () => api.put(`/customers/${customerId}/addresses/${addressId}`, { address: { ...address, street: '2 Main St' } }),
        () => api.patch(`/customers/${customerId}/profile`, { firstName: 'Grace' }),
      ];
      for (const step of steps) expect((await step()).status).toBe(200);
      const snapshotRows = await test.cql.execute(
        `SELECT sequence FROM ${test.keyspace}.aggregate_snapshots WHERE aggregate_id = ?`,
        [customerId],
        { prepare: true },
      );
      expect(snapshotRows.rows.map((row) => (row.get('sequence') as types.Long).toNumber())).toEqual([4]);
      const fromSnapshot = await api.get(`/customers/${customerId}`);
      const replayed = await api.get(`/customers/${customerId}?asOf=2999-01-01T00:00:00Z`);
      expect(fromSnapshot.body).toEqual(replayed.body);
      expect(fromSnapshot.body).toMatchObject({
        firstName: 'Grace',
        tier: 'Gold',
        version: 6,
        addresses: [{ id: addressId, street: '2 Main St', isDefault: true }],
      });
      // The customer's snapshot row is not an order's: asked for as an order, the id is simply no order.
      expectProblem(await api.get(`/orders/${customerId}`), 404, 'order-not-found');
      expectProblem(await api.post(`/orders/${customerId}/confirm`), 404, 'order-not-found');
    });
  });

  describe('in-memory aggregate states', () => {
    it('catch up with events another instance appended before deciding', async () => {
      const cached = await startCommandService(testEnvironment(test.keyspace), {
        logger: createLogger('command-service', 'error'),
        collectDefaultMetrics: false,
      });
      try {
        const other = apiClient(cached.url);
        const customerId = await registerCustomer(other);
        const orderId = await createOrder(other, customerId);
        // `cached` keeps the order at version 1; the first service appends version 2 behind its back.
        const newItems = items(3);
        expect((await api.put(`/orders/${orderId}/items`, { items: newItems })).body).toEqual({ id: orderId, version: 2 });
        const confirmed = await other.post(`/orders/${orderId}/confirm`, undefined, { headers: { 'If-Match': '"2"' } });
        expect(confirmed.body).toEqual({ id: orderId, version: 3 });
        const state = await other.get(`/orders/${orderId}`);
        expect(state.body).toMatchObject({ status: 'Confirmed', items: newItems, version: 3 });
        // And a stale If-Match is still a 412, whatever is kept in memory.
        expectProblem(await other.post(`/orders/${orderId}/cancel`, undefined, { headers: { 'If-Match': '"2"' } }), 412, 'precondition-failed');
      } finally {
        await cached.close();
      }
    });
  });
});
