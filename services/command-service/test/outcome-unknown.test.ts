import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { carriesCqlBatch, eventually, uniqueKeyspace } from '@scylla-es/es-core/testing';
import { createCqlClient, cqlConfigShape } from '@scylla-es/es-core/cql';
import { loadConfig } from '@scylla-es/es-core';
import type { Client } from 'cassandra-driver';
import { serviceBehindProxy, type ServiceBehindProxy } from './support/behind-proxy';
import { expectProblem, PROBLEM_BASE, type ApiResponse } from './support/http';
import { items, registration } from './support/fixtures';
import { seededRandom } from './support/random';
import { testEnvironment } from './support/service';
import { settledStore, storedEvents } from './support/store';

jest.setTimeout(300_000);

const SEED = Number(process.env.CUT_SEED ?? 1_313);
const CONCURRENCY = 12;
const CUTS = 12;
/** A worker that met the outage (nothing was sent) pauses before its next request, so the run is not all 503s. */
const OUTAGE_PAUSE_MS = 200;
const STALE_AFTER_MS = 1_500;

interface KeyedRequest {
  readonly key: string;
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly body: Record<string, unknown>;
}

/** Statuses that mean "not settled yet, come back": an unknown outcome, an outage, a claim in progress, a lost race. */
const unsettled = (response: ApiResponse): boolean => response.status === 503 || response.status === 409;

describe('a write whose connection dies after it reached the database', () => {
  let behind: ServiceBehindProxy;
  let cql: Client;
  const keyspace = uniqueKeyspace('cmdcut');

  beforeAll(async () => {
    behind = await serviceBehindProxy(keyspace, { IDEMPOTENCY_STALE_AFTER_MS: String(STALE_AFTER_MS) });
    cql = createCqlClient(loadConfig(cqlConfigShape, testEnvironment(keyspace)));
    await cql.connect();
  }, 180_000);

  afterAll(async () => {
    await cql?.shutdown();
    await behind?.stop();
  });

  it(`answers write-outcome-unknown under load, and a retry with the same key never makes a second effect (${CUTS} cuts, seed ${SEED})`, async () => {
    const { proxy, child, api } = behind;
    const random = seededRandom(SEED);
    const customers: string[] = [];
    for (let i = 0; i < 6; i++) customers.push(String((await api.post('/customers', registration())).body.id));
    const orders: string[] = [];
    for (let i = 0; i < 24; i++) orders.push(String((await api.post('/orders', { customerId: random.pick(customers), items: items() })).body.id));

    // Each request appends exactly one event when it is applied: a create, a registration, or a change of items.
    const requests: KeyedRequest[] = [];
    const nextRequest = (): KeyedRequest => {
      const key = `cut-${SEED}-${requests.length}-${randomUUID()}`;
      const request: KeyedRequest = ((kind) => {
        if (kind === 0) return { key, method: 'POST', path: '/orders', body: { customerId: random.pick(customers), items: items() } };
        if (kind === 1) return { key, method: 'POST', path: '/customers', body: registration() };
        return { key, method: 'PUT', path: `/orders/${random.pick(orders)}/items`, body: { items: items(1, random.int(1, 9)) } };
      })(random.int(0, 2));
      requests.push(request);
      return request;
    };
    const send = (request: KeyedRequest) => api.request(request.method, request.path, { body: request.body, headers: { 'Idempotency-Key': request.key } });
    /** Runs `work` on CONCURRENCY workers until it answers false. */
    const inParallel = async (work: () => Promise<boolean>) => {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let more = true; more; ) more = await work();
        }),
      );
    };

    // Load runs while the cuts are made one at a time: each cuts the connection right after an append went out,
    // then the service is given time to reconnect and take load again before the next one.
    const first = new Map<string, ApiResponse>();
    let cutting = true;
    const readyAgainMs: number[] = [];
    const load = inParallel(async () => {
      if (!cutting) return false;
      const request = nextRequest();
      const response = await send(request);
      first.set(request.key, response);
      if (response.body.type === `${PROBLEM_BASE}engine-unavailable`) await sleep(OUTAGE_PAUSE_MS);
      return true;
    });
    try {
      for (let cut = 1; cut <= CUTS; cut++) {
        proxy.cut(1, carriesCqlBatch);
        await eventually(() => expect(proxy.cutsMade).toBe(cut), 30_000, 10);
        const cutAt = Date.now();
        await eventually(async () => expect((await fetch(`${child.url}/health/ready`)).status).toBe(200), 30_000, 50);
        readyAgainMs.push(Date.now() - cutAt);
        await sleep(random.int(100, 500));
      }
    } finally {
      cutting = false;
      await load;
    }
    const cutsMade = proxy.cutsMade;

    const statuses = [...first.values()].map((response) => response.status);
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    const outcomeUnknown = [...first.values()].filter((response) => response.body.type === `${PROBLEM_BASE}write-outcome-unknown`);
    for (const response of outcomeUnknown) {
      const problem = expectProblem(response, 503, 'write-outcome-unknown');
      expect(problem).toMatchObject({ engine: 'database', retryWithSameIdempotencyKey: true });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.text).not.toMatch(/Socket was closed|127\.0\.0\.1/);
    }
    console.log(
      `${requests.length} requests, cuts made: ${cutsMade}, ready again after ${readyAgainMs.join('/')} ms; first answers: ${[...new Set(statuses)].sort().map((status) => `${status}×${statuses.filter((s) => s === status).length}`).join(', ')}; write-outcome-unknown: ${outcomeUnknown.length}`,
    );
    expect(cutsMade).toBeGreaterThan(0);
    expect(outcomeUnknown.length).toBeGreaterThan(0);

    // Every request is retried with its key until it settles; one that had settled must answer as it did.
    const settled = new Map<string, ApiResponse>();
    const pending = [...requests];
    await inParallel(async () => {
      const request = pending.shift();
      if (!request) return false;
      let response = await send(request);
      const deadline = Date.now() + 60_000;
      while (unsettled(response) && Date.now() < deadline) {
        await sleep(Math.min(2_000, 1_000 * Number(response.headers.get('retry-after') ?? 1)));
        response = await send(request);
      }
      settled.set(request.key, response);
      return true;
    });
    for (const request of requests) {
      const original = first.get(request.key);
      const response = settled.get(request.key);
      if (original && !unsettled(original)) {
        expect(response?.status).toBe(original.status);
        expect(response?.body).toEqual(original.body);
      }
    }
    expect([...settled.values()].filter((response) => response.status >= 300).map((response) => `${response.status} ${response.text}`)).toEqual([]);

    const events = await storedEvents(cql, keyspace);
    const effects = new Map<string, number>();
    for (const event of events) if (event.commandId) effects.set(event.commandId, (effects.get(event.commandId) ?? 0) + 1);
    const notOnce = requests.filter((request) => effects.get(request.key) !== 1).map((request) => `${request.key}: ${effects.get(request.key) ?? 0}`);
    expect(notOnce).toEqual([]);
    for (const request of requests) {
      const answer = settled.get(request.key)?.body;
      const event = events.find((candidate) => candidate.commandId === request.key);
      expect({ id: answer?.id, version: answer?.version }).toEqual({ id: event?.aggregateId, version: event?.sequence });
    }
    const { violations } = await settledStore(cql, keyspace);
    expect(violations).toEqual([]);
  });
});
