import { randomUUID } from 'node:crypto';
import { eventually } from '@scylla-es/es-core/testing';
import { startCdcRelay, type RunningCdcRelay } from '../src';
import { collect, duplicates, missingOrOutOfOrder, relayFixture, type RelayFixture } from './support/relay-fixture';

describe('the cdc-relay in a clean run', () => {
  let fixture: RelayFixture;
  let relay: RunningCdcRelay;

  beforeAll(async () => {
    fixture = await relayFixture('relayclean');
    relay = await startCdcRelay(fixture.env(), { collectDefaultMetrics: false });
  });
  afterAll(async () => {
    await relay.close();
    await fixture.drop();
  });

  it('publishes every appended event exactly once, keyed by aggregate, in sequence order, with its envelope', async () => {
    const expected = new Map(Array.from({ length: 20 }, () => [randomUUID(), 0] as [string, number]));
    for (let round = 0; round < 5; round++) {
      for (const [aggregateId, version] of expected) {
        await fixture.append(aggregateId, version, 2);
        expected.set(aggregateId, version + 2);
      }
    }
    const events = await collect(fixture.kafka, fixture.topic);
    await eventually(() => expect(events.received.length).toBeGreaterThanOrEqual(200), 60_000, 250);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await events.stop();

    expect(missingOrOutOfOrder(events.received, expected)).toEqual([]);
    expect(duplicates(events.received)).toBe(0);
    expect(events.received).toHaveLength(200);
    expect(events.received.every((event) => event.key === event.aggregateId)).toBe(true);
    const stored = await fixture.client.execute(`SELECT COUNT(*) AS n FROM ${fixture.keyspace}.event_store`);
    expect(Number(stored.first().get('n'))).toBe(200);
    const sample = events.received[0]!;
    expect(sample.headers).toMatchObject({ 'event-type': 'Ticked', 'aggregate-type': 'Clock', 'aggregate-id': sample.aggregateId });
  });

  it('dead-letters a message that can never be published, with its coordinates, and carries on', async () => {
    const poisoned = randomUUID();
    const healthy = randomUUID();
    await fixture.append(poisoned, 0, 1);
    // Over Kafka's 1 MB message limit: this event can never be published as it is.
    await fixture.append(poisoned, 1, 1, { padding: 'x'.repeat(1_200_000) });
    await fixture.append(poisoned, 2, 1);
    await fixture.append(healthy, 0, 3);

    const deadLetters = await collect(fixture.kafka, fixture.deadLetterTopic);
    const events = await collect(fixture.kafka, fixture.topic);
    await eventually(() => {
      expect(deadLetters.received).toHaveLength(1);
      expect(events.received.filter((event) => [poisoned, healthy].some((id) => id === event.aggregateId))).toHaveLength(5);
    }, 60_000, 250);
    await Promise.all([deadLetters.stop(), events.stop()]);

    expect(deadLetters.received[0]).toMatchObject({ aggregateId: poisoned, sequence: 2 });
    expect(deadLetters.received[0]?.headers).toMatchObject({
      'dlq-source-service': 'cdc-relay',
      'dlq-original-topic': fixture.topic,
      'dlq-original-key': poisoned,
      'dlq-payload-omitted': 'true',
    });
    const poisonedSequences = events.received.filter((event) => event.aggregateId === poisoned).map((event) => event.sequence);
    expect(poisonedSequences).toEqual([1, 3]);
  });

  it('publishes each event once even when contended transactions are re-committed into the log', async () => {
    const aggregateId = randomUUID();
    const appended = { count: 0 };
    // Ten writers racing on one aggregate: Paxos rounds that find an accepted batch commit it again.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let mine = 0; mine < 8; ) {
          const version = await fixture.store.version(aggregateId);
          try {
            await fixture.append(aggregateId, version, 1);
            mine++;
            appended.count++;
          } catch {
            // Lost the race: read the new head and try again.
          }
        }
      }),
    );
    const logged = await fixture.client.execute(
      `SELECT "cdc$operation" AS op, aggregate_id, sequence FROM ${fixture.keyspace}.event_store_scylla_cdc_log`,
    );
    const inserts = logged.rows.filter(
      (row) => row.get('op') === 2 && row.get('sequence') !== null && row.get('aggregate_id') === aggregateId,
    ).length;
    const events = await collect(fixture.kafka, fixture.topic);
    await eventually(() => expect(events.received.filter((event) => event.aggregateId === aggregateId)).toHaveLength(80), 60_000, 250);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await events.stop();
    const mine = events.received.filter((event) => event.aggregateId === aggregateId);
    console.log(`contended appends: ${appended.count} events, ${inserts} log inserts, ${mine.length} published`);
    expect(mine.map((event) => event.sequence)).toEqual(Array.from({ length: 80 }, (_, index) => index + 1));
  });

  it('reports its generation, per-group checkpoints and lag on /status', async () => {
    await eventually(async () => {
      const status = (await (await fetch(`${relay.url}/status`)).json()) as {
        generation: string;
        circuitState: number;
        groups: { checkpoint: string | null; lagSeconds: number | null; owner: string | null }[];
      };
      expect(status.generation).toEqual(expect.any(String));
      expect(status.circuitState).toBe(0);
      expect(status.groups.length).toBeGreaterThan(0);
      expect(status.groups.every((group) => group.checkpoint !== null && group.owner !== null)).toBe(true);
      expect(Math.max(...status.groups.map((group) => group.lagSeconds ?? Infinity))).toBeLessThan(30);
    }, 20_000);
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).toMatch(/cdc_relay_messages_published_total\{[^}]*\} \d+/);
    expect(metrics).toMatch(/cdc_relay_dead_lettered_total\{[^}]*\} 1/);
    expect(metrics).toMatch(/cdc_relay_lag_seconds\{[^}]*group="\d+"[^}]*\}/);
  });
});
