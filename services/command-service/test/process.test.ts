import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueKeyspace } from '@scylla-es/es-core/testing';
import { apiClient } from './support/http';
import { createOrder, registerCustomer } from './support/fixtures';
import { ensureBuilt, spawnService, type ChildService } from './support/child-service';
import { seededRandom } from './support/random';
import { dropKeyspace, testEnvironment, TOKENS, waitForEngine } from './support/service';
import { settledStore } from './support/store';
import { loadConfig } from '@scylla-es/es-core';
import { createCqlClient, cqlConfigShape } from '@scylla-es/es-core/cql';

jest.setTimeout(300_000);

describe('node dist/main.js', () => {
  const keyspaces: string[] = [];
  const children: ChildService[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    await waitForEngine();
  }, 240_000);
  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    for (const keyspace of keyspaces) await dropKeyspace(keyspace);
  });

  const spawnOn = async (keyspace: string, env: NodeJS.ProcessEnv = {}) => {
    const child = await spawnService(testEnvironment(keyspace, env));
    children.push(child);
    return child;
  };

  it('starts two instances at once on a fresh keyspace (migrations are serialised), serves, and stops gracefully on SIGTERM', async () => {
    const keyspace = uniqueKeyspace('cmdproc');
    keyspaces.push(keyspace);
    const [first, second] = await Promise.all([spawnOn(keyspace), spawnOn(keyspace)]);
    const api = apiClient(first.url);
    const customerId = await registerCustomer(api);
    const orderId = await createOrder(apiClient(second.url), customerId);
    expect((await api.get(`/orders/${orderId}`)).body).toMatchObject({ status: 'Created', version: 1 });
    for (const child of [first, second]) expect((await fetch(`${child.url}/health/ready`)).status).toBe(200);

    // In-flight requests finish; the process then closes the CQL client and exits 0.
    const inFlight = Array.from({ length: 10 }, () =>
      fetch(`${first.url}/orders/${orderId}/items`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKENS.writer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ productId: randomUUID(), quantity: 1 }] }),
      }).then((response) => response.status),
    );
    await sleep(5);
    first.process.kill('SIGTERM');
    const statuses = await Promise.all(inFlight.map((status) => status.catch(() => 'refused' as const)));
    expect(statuses.every((status) => status === 200 || status === 409 || status === 'refused')).toBe(true);
    expect(await first.exited).toBe(0);
    const steps = first.logs.filter((line) => line.message === 'shutdown step done').map((line) => line.step);
    expect(steps).toEqual(['close http servers', 'close CQL client']);
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('survives SIGKILL under load: the store and CDC log stay consistent, and retries with the key are exactly-once', async () => {
    const keyspace = uniqueKeyspace('cmdkill');
    keyspaces.push(keyspace);
    const env = { IDEMPOTENCY_STALE_AFTER_MS: '1000' };
    const victim = await spawnOn(keyspace, env);
    const api = apiClient(victim.url);
    const customerId = await registerCustomer(api);
    const orders = await Promise.all(Array.from({ length: 6 }, () => createOrder(api, customerId)));
    const random = seededRandom(77);
    const requests = Array.from({ length: 400 }, (_, index) => {
      const orderId = random.pick(orders);
      return {
        key: `kill-${index}`,
        orderId,
        url: `/orders/${orderId}/items`,
        body: JSON.stringify({ items: [{ productId: random.uuid(), quantity: random.int(1, 9) }] }),
      };
    });
    const send = (baseUrl: string, request: (typeof requests)[number]) =>
      fetch(`${baseUrl}${request.url}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKENS.writer}`, 'content-type': 'application/json', 'idempotency-key': request.key },
        body: request.body,
      })
        .then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }))
        .catch(() => undefined);
    const queue = [...requests];
    const load = Promise.all(
      Array.from({ length: 24 }, async () => {
        for (let request = queue.shift(); request; request = queue.shift()) await send(victim.url, request);
      }),
    );
    // Kill once the load is well under way.
    await sleep(random.int(150, 400));
    victim.process.kill('SIGKILL');
    await load;
    expect(await victim.exited).toBe('SIGKILL');

    const cql = createCqlClient(loadConfig(cqlConfigShape, testEnvironment(keyspace)));
    try {
      const afterCrash = await settledStore(cql, keyspace);
      expect(afterCrash.violations).toEqual([]);
      const committed = afterCrash.stored.filter((event) => event.commandId?.startsWith('kill-')).length;
      expect(committed).toBeGreaterThan(0);
      const pending = (await cql.execute(`SELECT status FROM ${keyspace}.command_idempotency`)).rows.filter((row) => row.get('status') === 'pending').length;
      if (process.env.DEBUG_TESTS) console.log(`at the kill: ${committed} commands committed, ${pending} claims left pending`);

      // A new instance; every request is retried with its key until it gets a final answer.
      const survivor = await spawnOn(keyspace, env);
      for (const request of requests) {
        const deadline = Date.now() + 30_000;
        let answer = await send(survivor.url, request);
        while (answer?.status === 409 && answer.body.type === 'https://scylla-es.dev/problems/request-in-progress') {
          if (Date.now() > deadline) throw new Error(`${request.key} stayed in progress`);
          await sleep(250);
          answer = await send(survivor.url, request);
        }
        expect([200, 409]).toContain(answer?.status);
      }
      const { stored, violations } = await settledStore(cql, keyspace);
      expect(violations).toEqual([]);
      const perKey = new Map<string, number>();
      for (const event of stored) if (event.commandId) perKey.set(event.commandId, (perKey.get(event.commandId) ?? 0) + 1);
      expect([...perKey.values()].every((count) => count === 1)).toBe(true);
      survivor.process.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
    } finally {
      await cql.shutdown();
    }
  });
});
