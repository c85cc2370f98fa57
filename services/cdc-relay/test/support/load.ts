import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RelayFixture } from './relay-fixture';

/** A steady stream of appends over `aggregates` aggregates until stopped; knows what it appended. */
export function steadyLoad(fixture: RelayFixture, aggregates: number, pauseMs = 20) {
  const versions = new Map(Array.from({ length: aggregates }, () => [randomUUID(), 0] as [string, number]));
  let running = true;
  const done = (async () => {
    while (running) {
      for (const [aggregateId, version] of versions) {
        if (!running) break;
        await fixture.append(aggregateId, version, 1);
        versions.set(aggregateId, version + 1);
      }
      await sleep(pauseMs);
    }
  })();
  return {
    versions,
    total: () => [...versions.values()].reduce((sum, count) => sum + count, 0),
    stop: async () => {
      running = false;
      await done;
    },
  };
}
