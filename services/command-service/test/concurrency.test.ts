import { randomUUID } from 'node:crypto';
import { apiClient, expectProblem, PROBLEM_BASE, type ApiClient, type ApiResponse } from './support/http';
import { createOrder, items, registerCustomer } from './support/fixtures';
import { startTestService, type TestService } from './support/service';
import { settledStore } from './support/store';
import { metricValue } from './support/metrics';

jest.setTimeout(180_000);

interface Contender {
  readonly key: string;
  readonly kind: 'update' | 'pinned-update' | 'confirm';
  readonly quantity: number;
  response?: ApiResponse;
}

describe('50 concurrent commands on one order', () => {
  let test: TestService;
  let api: ApiClient;

  beforeAll(async () => {
    test = await startTestService('cmdconc');
    api = apiClient(test.url);
  }, 180_000);
  afterAll(async () => test?.stop());

  it.each([
    ['45 UpdateItems + 5 UpdateItems with If-Match "1"', (index: number): Contender['kind'] => (index % 10 === 3 ? 'pinned-update' : 'update')],
    [
      'UpdateItems, If-Match updates and ConfirmOrders mixed',
      (index: number): Contender['kind'] => (index % 10 === 3 ? 'pinned-update' : index % 10 === 7 && index > 20 ? 'confirm' : 'update'),
    ],
  ])('%s: each winner committed once, contiguous, in the CDC log under its own event id; losers 409/412', async (_name, kindOf) => {
    const customerId = await registerCustomer(api);
    const orderId = await createOrder(api, customerId);
    const contenders: Contender[] = Array.from({ length: 50 }, (_, index) => ({
      key: `conc-${randomUUID()}`,
      kind: kindOf(index),
      quantity: index + 2,
    }));
    const before = await (await fetch(`${test.url}/metrics`)).text();
    await Promise.all(
      contenders.map(async (contender) => {
        const headers: Record<string, string> = { 'Idempotency-Key': contender.key };
        if (contender.kind === 'confirm') {
          contender.response = await api.post(`/orders/${orderId}/confirm`, undefined, { headers });
          return;
        }
        if (contender.kind === 'pinned-update') headers['If-Match'] = '"1"';
        const body = { items: [{ ...items()[0], quantity: contender.quantity }] };
        contender.response = await api.put(`/orders/${orderId}/items`, body, { headers });
      }),
    );

    if (process.env.DEBUG_TESTS) console.log(contenders.map((c) => `${c.kind}:${c.response?.status}:${String(c.response?.body.type ?? '').replace(PROBLEM_BASE, '')}`).join(' '));
    const winners = contenders.filter((contender) => contender.response?.status === 200);
    const losers = contenders.filter((contender) => contender.response?.status !== 200);
    expect(winners.length).toBeGreaterThan(0);
    for (const loser of losers) {
      const response = loser.response as ApiResponse;
      const allowed = loser.kind === 'pinned-update' ? [409, 412] : [409];
      if (!allowed.includes(response.status)) throw new Error(`${loser.kind}: ${response.status} ${response.text}`);
      expectProblem(response, response.status);
      if (response.status === 412) expect(response.body.type).toBe(`${PROBLEM_BASE}precondition-failed`);
    }

    const exhausted = losers.filter((loser) => loser.response?.body.type === `${PROBLEM_BASE}concurrency-conflict`).length;
    const after = await (await fetch(`${test.url}/metrics`)).text();
    const conflicts = metricValue(after, 'command_conflicts_total', { aggregate_type: 'Order' }) - metricValue(before, 'command_conflicts_total', { aggregate_type: 'Order' });
    const retries = metricValue(after, 'command_retries_total', { aggregate_type: 'Order' }) - metricValue(before, 'command_retries_total', { aggregate_type: 'Order' });
    const appends = metricValue(after, 'command_append_duration_seconds_count', { aggregate_type: 'Order' }) - metricValue(before, 'command_append_duration_seconds_count', { aggregate_type: 'Order' });
    // Each 409 concurrency-conflict used up all its attempts: each a counted conflict, all but the last a retry.
    expect(conflicts).toBeGreaterThanOrEqual(exhausted * 5);
    expect(retries).toBeGreaterThanOrEqual(exhausted * 4);
    expect(appends).toBe(winners.length);

    const { stored, violations, duplicateInserts } = await settledStore(test.cql, test.keyspace);
    expect(violations).toEqual([]);
    if (process.env.DEBUG_TESTS) console.log(`identical duplicate CDC inserts (Paxos re-commits): ${duplicateInserts}`);
    const orderEvents = stored.filter((event) => event.aggregateId === orderId).sort((a, b) => a.sequence - b.sequence);
    expect(orderEvents.map((event) => event.sequence)).toEqual(orderEvents.map((_, index) => index + 1));
    expect(orderEvents).toHaveLength(1 + winners.length);

    for (const winner of winners) {
      const response = winner.response as ApiResponse;
      const version = Number(response.body.version);
      expect(response.headers.get('etag')).toBe(`"${version}"`);
      const own = orderEvents.filter((event) => event.commandId === winner.key);
      expect(own).toHaveLength(1);
      expect(own[0]?.sequence).toBe(version);
      if (winner.kind === 'confirm') {
        expect(own[0]?.eventType).toBe('OrderConfirmed');
      } else {
        expect(own[0]?.eventType).toBe('OrderItemsUpdated');
        expect((own[0]?.data.items as { quantity: number }[])[0]?.quantity).toBe(winner.quantity);
      }
    }
    const loserKeys = new Set(losers.map((loser) => loser.key));
    expect(orderEvents.filter((event) => event.commandId !== null && loserKeys.has(event.commandId))).toEqual([]);
    // At most one confirm and one If-Match "1" update can ever win.
    expect(winners.filter((winner) => winner.kind === 'confirm').length).toBeLessThanOrEqual(1);
    expect(winners.filter((winner) => winner.kind === 'pinned-update').length).toBeLessThanOrEqual(1);

    const current = await api.get(`/orders/${orderId}`);
    expect(current.status).toBe(200);
    expect(current.body.version).toBe(orderEvents.length);
  });
});
