import { randomUUID } from 'node:crypto';
import { types } from 'cassandra-driver';
import { apiClient, expectProblem, type ApiClient } from './support/http';
import { createOrder, items, registerCustomer, registration } from './support/fixtures';
import { metricValue } from './support/metrics';
import { startTestService, type TestService } from './support/service';
import { storedEvents } from './support/store';
import { requestFingerprint } from '../src/application/request-fingerprint';

jest.setTimeout(120_000);

const STALE_AFTER_MS = 1_500;

describe('Idempotency-Key, If-Match and event metadata', () => {
  let test: TestService;
  let api: ApiClient;

  beforeAll(async () => {
    test = await startTestService('cmdidem', { IDEMPOTENCY_STALE_AFTER_MS: String(STALE_AFTER_MS) });
    api = apiClient(test.url);
  }, 180_000);
  afterAll(async () => test?.stop());

  const eventsOf = async (aggregateId: string) =>
    (await storedEvents(test.cql, test.keyspace))
      .filter((event) => event.aggregateId === aggregateId)
      .sort((a, b) => a.sequence - b.sequence);
  const replays = async () => metricValue(await (await fetch(`${test.url}/metrics`)).text(), 'command_idempotent_replays_total');

  describe('Idempotency-Key', () => {
    it('answers a retried create with the original response and appends nothing', async () => {
      const customerId = await registerCustomer(api);
      const key = `create-${randomUUID()}`;
      const body = { customerId, items: items(2) };
      const before = await replays();
      const first = await api.post('/orders', body, { headers: { 'Idempotency-Key': key } });
      const second = await api.post('/orders', body, { headers: { 'Idempotency-Key': key } });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(second.headers.get('location')).toBe(first.headers.get('location'));
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(await replays()).toBe(before + 1);
      expect(await eventsOf(String(first.body.id))).toHaveLength(1);
    });

    it('derives the id of a create without an id from the key: deterministic, a valid UUID, distinct per key', async () => {
      const customerId = await registerCustomer(api);
      const key = `derived-${randomUUID()}`;
      const first = await api.post('/orders', { customerId, items: items() }, { headers: { 'Idempotency-Key': key } });
      const again = await api.post('/orders', { customerId, items: items() }, { headers: { 'Idempotency-Key': `${key}-other` } });
      expect(first.status).toBe(201);
      expect(String(first.body.id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(first.headers.get('location')).toBe(`/orders/${first.body.id}`);
      expect(again.body.id).not.toBe(first.body.id);
      // Without any key, ids are random.
      const random = await api.post('/orders', { customerId, items: items() });
      expect(String(random.body.id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    });

    it('rejects the same key with another body or path (422 idempotency-key-reused), appending nothing', async () => {
      const customerId = await registerCustomer(api);
      const orderId = await createOrder(api, customerId);
      const key = `reuse-${randomUUID()}`;
      const first = await api.put(`/orders/${orderId}/items`, { items: items(1, 3) }, { headers: { 'Idempotency-Key': key } });
      expect(first.status).toBe(200);
      const otherBody = await api.put(`/orders/${orderId}/items`, { items: items(1, 4) }, { headers: { 'Idempotency-Key': key } });
      expectProblem(otherBody, 422, 'idempotency-key-reused');
      const otherPath = await api.post(`/orders/${orderId}/confirm`, undefined, { headers: { 'Idempotency-Key': key } });
      expectProblem(otherPath, 422, 'idempotency-key-reused');
      const otherCaller = await api.put(`/orders/${orderId}/items`, { items: items(1, 3) }, { token: 'admin', headers: { 'Idempotency-Key': key } });
      expectProblem(otherCaller, 422, 'idempotency-key-reused');
      expect(await eventsOf(orderId)).toHaveLength(2);
    });

    it('treats a body with the same fields in another order as the same request', async () => {
      const customerId = await registerCustomer(api);
      const orderId = await createOrder(api, customerId);
      const key = `order-${randomUUID()}`;
      const first = await api.post(`/orders/${orderId}/cancel`, { reason: 'r', cancelledBy: 'c' }, { headers: { 'Idempotency-Key': key } });
      const second = await api.request('POST', `/orders/${orderId}/cancel`, {
        rawBody: '{"cancelledBy":"c","reason":"r"}',
        headers: { 'content-type': 'application/json', 'Idempotency-Key': key },
      });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
    });

    it('stores a domain rejection too: the retry gets the same problem, even after the state changed', async () => {
      const customerId = await registerCustomer(api);
      const orderId = await createOrder(api, customerId);
      const key = `ship-${randomUUID()}`;
      const ship = { trackingNumber: 'TRK-1', carrier: 'DHL' };
      const rejected = await api.post(`/orders/${orderId}/ship`, ship, { headers: { 'Idempotency-Key': key } });
      expectProblem(rejected, 409, 'order-not-confirmed');
      expect((await api.post(`/orders/${orderId}/confirm`)).status).toBe(200);
      const retried = await api.post(`/orders/${orderId}/ship`, ship, { headers: { 'Idempotency-Key': key } });
      expectProblem(retried, 409, 'order-not-confirmed');
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.body.correlationId).toBe(retried.headers.get('x-correlation-id'));
      expect(await eventsOf(orderId)).toHaveLength(2);
    });

    it('executes concurrent deliveries of one request once; the others replay it or are told to retry', async () => {
      const customerId = await registerCustomer(api);
      const key = `burst-${randomUUID()}`;
      const body = { customerId, items: items() };
      const responses = await Promise.all(
        Array.from({ length: 12 }, () => api.post('/orders', body, { headers: { 'Idempotency-Key': key } })),
      );
      const created = responses.filter((response) => response.status === 201);
      const waiting = responses.filter((response) => response.status === 409);
      expect(created.length + waiting.length).toBe(responses.length);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const response of created) expect(response.body).toEqual(created[0]?.body);
      for (const response of waiting) {
        expectProblem(response, 409, 'request-in-progress');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(await eventsOf(String(created[0]?.body.id))).toHaveLength(1);
    });

    it('recovers the outcome of a holder that died after appending, and re-executes one that died before', async () => {
      const customerId = await registerCustomer(api);
      const orderId = await createOrder(api, customerId);
      const table = `${test.keyspace}.command_idempotency`;
      const markPending = (key: string, ageMs: number) =>
        test.cql.execute(`UPDATE ${table} SET status = 'pending', created_at = ? WHERE idempotency_key = ?`, [new Date(Date.now() - ageMs), key], {
          prepare: true,
        });

      // Appended, then "died" before recording the response.
      const appendedKey = `died-after-${randomUUID()}`;
      const update = { items: items(1, 5) };
      const appended = await api.put(`/orders/${orderId}/items`, update, { headers: { 'Idempotency-Key': appendedKey } });
      expect(appended.status).toBe(200);
      await markPending(appendedKey, 0);
      const tooEarly = await api.put(`/orders/${orderId}/items`, update, { headers: { 'Idempotency-Key': appendedKey } });
      // A fresh claim may still be running: the caller is told to come back.
      expectProblem(tooEarly, 409, 'request-in-progress');
      expect(tooEarly.headers.get('retry-after')).toMatch(/^[1-5]$/);
      await markPending(appendedKey, STALE_AFTER_MS * 2);
      const recovered = await api.put(`/orders/${orderId}/items`, update, { headers: { 'Idempotency-Key': appendedKey } });
      expect(recovered.status).toBe(200);
      expect(recovered.body).toEqual(appended.body);
      expect(recovered.headers.get('idempotent-replayed')).toBe('true');

      // Claimed, then "died" before appending: the next delivery takes the claim over and executes it, once.
      const order2 = await createOrder(api, customerId);
      // The writer's principal id, as recorded in the events (the fingerprint binds the key to its caller).
      const history = await api.get(`/orders/${order2}/events`);
      const principalId = (history.body.events as { metadata: { userId: string } }[])[0]?.metadata.userId;
      const path = `/orders/${order2}/cancel`;
      const deadKey = `died-before-${randomUUID()}`;
      const fingerprint = requestFingerprint({ method: 'POST', path, body: {}, ifMatch: undefined, principalId });
      await test.cql.execute(
        `INSERT INTO ${table} (idempotency_key, request_fingerprint, aggregate_id, status, created_at) VALUES (?, ?, ?, 'pending', ?)`,
        [deadKey, fingerprint, order2, new Date(Date.now() - STALE_AFTER_MS * 2)],
        { prepare: true },
      );
      const takenOver = await api.post(path, undefined, { headers: { 'Idempotency-Key': deadKey } });
      expect(takenOver.status).toBe(200);
      expect(takenOver.headers.get('idempotent-replayed')).toBeNull();
      const replayed = await api.post(path, undefined, { headers: { 'Idempotency-Key': deadKey } });
      expect(replayed.status).toBe(200);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect((await eventsOf(order2)).filter((event) => event.commandId === deadKey)).toHaveLength(1);
    });

    it.each([
      ['empty', ''],
      ['too long', 'k'.repeat(201)],
      ['non-ASCII', 'clé-ñ'],
    ])('rejects a %s key with 400 before executing anything', async (_case, key) => {
      const customerId = await registerCustomer(api);
      const response = await api.post('/orders', { customerId, items: items() }, { headers: { 'Idempotency-Key': key } });
      expectProblem(response, 400, 'invalid-idempotency-key');
    });
  });

  describe('If-Match', () => {
    it('appends when the version matches, answers 412 with both versions when it does not', async () => {
      const customerId = await registerCustomer(api);
      const orderId = await createOrder(api, customerId);
      const stale = await api.put(`/orders/${orderId}/items`, { items: items() }, { headers: { 'If-Match': '"7"' } });
      const problem = expectProblem(stale, 412, 'precondition-failed');
      expect(problem).toMatchObject({ expectedVersion: 7, actualVersion: 1 });
      const fresh = await api.put(`/orders/${orderId}/items`, { items: items() }, { headers: { 'If-Match': '"1"' } });
      expect(fresh.status).toBe(200);
      expect(fresh.body).toEqual({ id: orderId, version: 2 });
      expect(fresh.headers.get('etag')).toBe('"2"');
      const weak = await api.post(`/orders/${orderId}/confirm`, undefined, { headers: { 'If-Match': 'W/"2"' } });
      expect(weak.status).toBe(200);
      const any = await api.post(`/orders/${orderId}/cancel`, undefined, { headers: { 'If-Match': '*' } });
      expect(any.status).toBe(200);
      expect(await eventsOf(orderId)).toHaveLength(4);
    });

    it('makes a create conditional on the aggregate not existing with "0"', async () => {
      const customerId = await registerCustomer(api);
      const orderId = randomUUID();
      const created = await api.post('/orders', { orderId, customerId, items: items() }, { headers: { 'If-Match': '"0"' } });
      expect(created.status).toBe(201);
      const again = await api.post('/orders', { orderId, customerId, items: items() }, { headers: { 'If-Match': '"0"' } });
      expectProblem(again, 412, 'precondition-failed');
    });
  });

  describe('event metadata', () => {
    it('stores correlation id (echoed), command id = Idempotency-Key, user and traceparent with the events', async () => {
      const key = `meta-${randomUUID()}`;
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const response = await api.post('/customers', registration(), {
        headers: { 'Idempotency-Key': key, 'X-Correlation-Id': 'corr-abc_123', traceparent },
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-correlation-id')).toBe('corr-abc_123');
      const page = await api.get(`/customers/${response.body.id}/events`);
      expect(page.status).toBe(200);
      const events = page.body.events as { metadata: Record<string, unknown>; sequence: number }[];
      expect(events[0]?.metadata).toEqual({
        correlationId: 'corr-abc_123',
        commandId: key,
        userId: expect.stringMatching(/^token:[0-9a-f]{12}$/),
        traceparent,
      });
      const row = await test.cql.execute(
        `SELECT command_id, headers FROM ${test.keyspace}.event_store WHERE aggregate_id = ? AND sequence = ?`,
        [response.body.id, types.Long.fromNumber(1)],
        { prepare: true },
      );
      expect(row.first()?.get('command_id')).toBe(key);
      expect(row.first()?.get('headers')).toMatchObject({ 'correlation-id': 'corr-abc_123', 'command-id': key, traceparent });
    });

    it('generates a correlation id and a command id when none is given', async () => {
      const response = await api.post('/customers', registration());
      const correlationId = response.headers.get('x-correlation-id');
      expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
      const page = await api.get(`/customers/${response.body.id}/events`);
      const metadata = (page.body.events as { metadata: Record<string, unknown> }[])[0]?.metadata;
      expect(metadata?.correlationId).toBe(correlationId);
      expect(String(metadata?.commandId)).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
