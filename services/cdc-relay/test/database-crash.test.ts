import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureTopics } from '@scylla-es/es-core/kafka';
import { eventually, repositoryRoot } from '@scylla-es/es-core/testing';
import {
  collect,
  duplicates,
  engines,
  killed,
  missingOrOutOfOrder,
  relayFixture,
  spawnRelay,
  type RelayFixture,
} from './support/relay-fixture';

const TOKEN = 'database-crash-writer-token';
const WORKERS = 12;
const KILLS = 3;

interface Acknowledged {
  /** Highest version the command-service answered for each order. */
  readonly versions: Map<string, number>;
  commands: number;
  failures: number;
}

/**
 * "No event lost" starts at the append: with the relay running throughout, the database is SIGKILLed several
 * times under REST load. Every command the service acknowledged must have its events in event_store afterwards,
 * with contiguous sequences, and every stored event (acknowledged or not) must reach Kafka, in order per
 * aggregate.
 */
describe('a database killed under REST load', () => {
  let fixture: RelayFixture;
  let commandService: ChildProcess | undefined;
  let relay: ChildProcess | undefined;
  const port = 3_900 + Math.floor(Math.random() * 45);
  const relayPort = port + 45;
  const base = `http://127.0.0.1:${port}`;

  const send = async (method: string, route: string, body: object): Promise<{ status: number; json: { id?: string; version?: number } }> => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, json: (await response.json().catch(() => ({}))) as { id?: string; version?: number } };
  };
  const line = () => ({ productId: randomUUID(), quantity: 1 });

  beforeAll(async () => {
    fixture = await relayFixture('dbcrash');
    const env = fixture.env({ RELAY_TOPICS: 'orders.events,customers.events', AUTH_TOKENS: `${TOKEN}:write`, PORT: String(port) });
    commandService = fork(path.join(repositoryRoot(), 'services', 'command-service', 'dist', 'main.js'), [], {
      env: { ...env, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await eventually(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), 60_000, 250);
    relay = spawnRelay({ ...env, PORT: String(relayPort), LOG_LEVEL: 'error' });
    // Started before the storm: it has to ride out the crashes, not start in the middle of one.
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${relayPort}/health/ready`)).status).toBe(200), 60_000, 250);
  });
  afterAll(async () => {
    if (relay) await killed(relay);
    if (commandService) await killed(commandService);
    await fixture?.drop();
  });

  /** Each worker creates an order, then keeps changing its items; it remembers what was acknowledged. */
  function restLoad(customerId: string) {
    const acknowledged: Acknowledged = { versions: new Map(), commands: 0, failures: 0 };
    let running = true;
    const worker = async () => {
      let orderId: string | undefined;
      while (running) {
        try {
          const { status, json } = orderId
            ? await send('PUT', `/orders/${orderId}/items`, { items: [line()] })
            : await send('POST', '/orders', { customerId, items: [line()] });
          if (status === 200 || status === 201) {
            orderId = json.id ?? orderId;
            acknowledged.commands++;
            if (orderId && json.version !== undefined) acknowledged.versions.set(orderId, json.version);
          } else {
            acknowledged.failures++;
            await sleep(100);
          }
        } catch {
          // Connection refused or timed out while the database restarts: the outcome is unknown, not acknowledged.
          acknowledged.failures++;
          await sleep(100);
        }
      }
    };
    const done = Promise.all(Array.from({ length: WORKERS }, worker));
    return {
      acknowledged,
      stop: async () => {
        running = false;
        await done;
      },
    };
  }

  it('keeps every acknowledged command, and the relay publishes every stored event in order', async () => {
    const topics = [{ topic: 'orders.events' }, { topic: 'customers.events' }];
    await ensureTopics(fixture.kafka, topics, { defaultPartitions: 3, defaultReplicationFactor: 1 });
    const orders = await collect(fixture.kafka, 'orders.events');
    const customers = await collect(fixture.kafka, 'customers.events');
    const customer = await send('POST', '/customers', { email: `crash-${randomUUID()}@example.com`, firstName: 'Ada', lastName: 'Lovelace' });
    expect(customer.status).toBe(201);
    const load = restLoad(customer.json.id as string);
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(4_000);
      await engines.killDatabase();
      await engines.startDatabase();
    }
    await sleep(3_000);
    await load.stop();
    // The test's own session reconnects with the driver's backoff, which grows with each outage.
    await eventually(async () => expect((await fixture.client.execute('SELECT release_version FROM system.local')).rowLength).toBe(1), 180_000, 1_000);
    const { acknowledged } = load;
    expect(acknowledged.commands).toBeGreaterThan(0);

    // Every aggregate in the store, acknowledged or not: a command whose answer was lost may still have been stored.
    const stored = new Map<string, number>();
    const gaps: string[] = [];
    const aggregates = await fixture.client.execute(`SELECT DISTINCT aggregate_id FROM ${fixture.keyspace}.event_store`);
    for (const { aggregate_id: aggregateId } of aggregates.rows) {
      const rows = await fixture.client.execute(`SELECT sequence FROM ${fixture.keyspace}.event_store WHERE aggregate_id = ?`, [aggregateId], {
        prepare: true,
      });
      const sequences = rows.rows.map((row) => Number(row.get('sequence')));
      if (!sequences.every((sequence, index) => sequence === index + 1)) gaps.push(`${String(aggregateId)}: ${JSON.stringify(sequences)}`);
      stored.set(String(aggregateId), sequences.length);
    }
    expect(gaps).toEqual([]);
    const lost = [...acknowledged.versions]
      .filter(([orderId, version]) => (stored.get(orderId) ?? 0) < version)
      .map(([orderId, version]) => `${orderId}: acknowledged version ${version}, stored ${stored.get(orderId) ?? 0}`);
    expect(lost).toEqual([]);

    const published = () => [...orders.received, ...customers.received];
    try {
      await eventually(() => expect(missingOrOutOfOrder(published(), stored)).toEqual([]), 120_000, 500);
    } finally {
      await Promise.all([orders.stop(), customers.stop()]);
    }
    const events = [...stored.values()].reduce((sum, count) => sum + count, 0);
    console.log(
      `database SIGKILL x${KILLS} under REST load: ${acknowledged.commands} commands acknowledged, ${acknowledged.failures} failed, ` +
        `${events} events stored and published, ${duplicates(published())} redelivered`,
    );
  }, 900_000);
});
