import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@scylla-es/es-core/testing';
import { startCdcRelay } from '../src';
import { collect, duplicates, engines, killed, missingOrOutOfOrder, relayFixture, spawnRelay, type RelayFixture } from './support/relay-fixture';
import { steadyLoad } from './support/load';

/** Waits until every appended event reached the topic, then reports what arrived. */
async function drained(fixture: RelayFixture, received: { length: number }, total: number): Promise<void> {
  await eventually(() => expect(received.length).toBeGreaterThanOrEqual(total), 90_000, 250);
  // Anything still in flight (a redelivered window) lands now, so the duplicate count is final.
  await sleep(3_000);
}

describe('the cdc-relay under faults', () => {
  let fixture: RelayFixture;
  afterEach(async () => fixture.drop());

  it('loses nothing and keeps per-aggregate order when killed with SIGKILL several times during load', async () => {
    fixture = await relayFixture('relaykill');
    const events = await collect(fixture.kafka, fixture.topic);
    const load = steadyLoad(fixture, 12);
    const startedAt = Date.now();
    const kills = 3;
    for (let kill = 0; kill < kills; kill++) {
      const relay = spawnRelay(fixture.env());
      await sleep(2_500 + kill * 700);
      await killed(relay);
    }
    await load.stop();
    const loadSeconds = (Date.now() - startedAt) / 1000;
    const survivor = spawnRelay(fixture.env());
    try {
      await drained(fixture, events.received, load.total());
    } finally {
      await killed(survivor);
      await events.stop();
    }
    expect(missingOrOutOfOrder(events.received, load.versions)).toEqual([]);
    const duplicated = duplicates(events.received);
    console.log(`SIGKILL x3: ${load.total()} events, ${duplicated} redelivered`);
    // A kill can only cost the windows it had not checkpointed: at most one window (2 s of appends, plus the
    // confidence window it lagged behind) per kill.
    const eventsPerWindow = (load.total() / loadSeconds) * (2 + 1.5);
    expect(duplicated).toBeLessThanOrEqual(kills * eventsPerWindow);
  });

  it('dead-letters nothing while Kafka is down for 30 s, and drains the backlog when it returns', async () => {
    fixture = await relayFixture('relayoutage');
    const relay = await startCdcRelay(fixture.env({ LOG_LEVEL: 'error' }), { collectDefaultMetrics: false });
    const load = steadyLoad(fixture, 8, 50);
    try {
      await sleep(2_000);
      await engines.stopKafka();
      await sleep(30_000);
      await engines.startKafka();
      await sleep(2_000);
      await load.stop();
      const events = await collect(fixture.kafka, fixture.topic);
      const deadLetters = await collect(fixture.kafka, fixture.deadLetterTopic);
      await drained(fixture, events.received, load.total());
      await Promise.all([events.stop(), deadLetters.stop()]);

      expect(deadLetters.received).toHaveLength(0);
      expect(missingOrOutOfOrder(events.received, load.versions)).toEqual([]);
      console.log(`Kafka outage 30 s: ${load.total()} events, ${duplicates(events.received)} redelivered`);
      const metrics = await (await fetch(`${relay.url}/metrics`)).text();
      expect(metrics).toMatch(/cdc_relay_publish_retries_total\{[^}]*\} [1-9]/);
      expect(metrics).toMatch(/cdc_relay_dead_lettered_total\{[^}]*\} 0/);
    } finally {
      await load.stop();
      await engines.startKafka();
      await relay.close();
    }
  });

  it('loses and reorders nothing across a CDC generation switch during load', async () => {
    fixture = await relayFixture('relaygen');
    const relay = await startCdcRelay(fixture.env(), { collectDefaultMetrics: false });
    const events = await collect(fixture.kafka, fixture.topic);
    const load = steadyLoad(fixture, 10);
    try {
      await sleep(1_500);
      const switchAt = await engines.requestCdcGeneration(3);
      while (Date.now() < switchAt.getTime() + 3_000) await sleep(200);
      await load.stop();
      await drained(fixture, events.received, load.total());
      expect(relay.status().generation).toBe(switchAt.toISOString());
    } finally {
      await load.stop();
      await events.stop();
      await relay.close();
    }
    expect(missingOrOutOfOrder(events.received, load.versions)).toEqual([]);
    expect(duplicates(events.received)).toBe(0);
  });
});
