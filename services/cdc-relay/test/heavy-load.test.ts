import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@scylla-es/es-core/testing';
import { startCdcRelay, type RunningCdcRelay } from '../src';
import { collect, duplicates, missingOrOutOfOrder, relayFixture, type RelayFixture } from './support/relay-fixture';

const WRITERS = 48;
const LOAD_MS = 20_000;

/**
 * The relay reads a confidence window behind "now"; a write whose log row showed up after the relay had read past
 * its time would be skipped for good. Under the heaviest write load of the test stack (as many concurrent appends
 * as the database takes), every stored event must still reach Kafka.
 */
describe('the relay under the heaviest write load', () => {
  let fixture: RelayFixture;
  let relay: RunningCdcRelay | undefined;

  beforeAll(async () => {
    fixture = await relayFixture('heavyload');
  });
  afterAll(async () => {
    await relay?.close();
    await fixture?.drop();
  });

  it('publishes every stored event, in order per aggregate', async () => {
    const events = await collect(fixture.kafka, fixture.topic);
    relay = await startCdcRelay(fixture.env({ LOG_LEVEL: 'error' }), { collectDefaultMetrics: false });
    const versions = new Map<string, number>();
    const until = Date.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const aggregateId = randomUUID();
        let version = 0;
        while (Date.now() < until) {
          // One to three events per append, as commands produce.
          const count = 1 + (version % 3);
          await fixture.append(aggregateId, version, count);
          version += count;
          versions.set(aggregateId, version);
        }
      }),
    );
    const total = [...versions.values()].reduce((sum, count) => sum + count, 0);
    try {
      await eventually(() => expect(events.received.length).toBeGreaterThanOrEqual(total), 120_000, 250);
      await sleep(2_000);
    } finally {
      await events.stop();
    }
    expect(missingOrOutOfOrder(events.received, versions)).toEqual([]);
    console.log(`heavy load: ${total} events in ${LOAD_MS / 1000} s from ${WRITERS} writers, ${duplicates(events.received)} redelivered`);
  }, 300_000);
});
