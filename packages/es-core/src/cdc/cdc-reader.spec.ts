import { loadConfig } from '../core/config/environment';
import { createLogger } from '../core/logging/logger';
import { eventually, InMemoryChangeLog, InMemoryCheckpointStore, InMemoryLeaseTable, ManualClock } from '../testing';
import type { CdcSources, Generation } from './cdc-ports';
import { CdcReader } from './cdc-reader';
import { cdcReaderConfigShape } from './cdc-reader-config';

const SECOND = 1_000;
const START = Date.parse('2026-06-01T12:00:00Z');
const config = loadConfig(cdcReaderConfigShape, {
  CDC_WINDOW_MS: '10000',
  CDC_MAX_WINDOW_MS: '20000',
  CDC_CONFIDENCE_WINDOW_MS: '2000',
  CDC_LOOKBACK_MS: '600000',
  CDC_POLL_INTERVAL_MS: '500',
  CDC_LEASE_TTL_SECONDS: '3',
  CDC_GENERATION_REFRESH_MS: '0',
  CDC_PAGE_SIZE: '10',
});
const streams = [1, 2, 3, 4].map((byte) => Buffer.alloc(16, byte));
const generationOf = (secondsAgo: number, offset: number): Generation => ({
  time: new Date(START - secondsAgo * SECOND),
  groups: [0, 1].map((index) => ({ id: index + 1, streams: [streams[offset + index] ?? Buffer.alloc(16)] })),
});
const old = generationOf(300, 0);
const recent = generationOf(120, 2);

interface Delivery {
  readonly instance: string;
  readonly generation: Date;
  readonly sequence: number | null;
}

describe('the CDC reader on in-memory sources', () => {
  it('reads every group of the old generation to its end before any change of the next, across instances', async () => {
    const clock = new ManualClock(START);
    const log = new InMemoryChangeLog(config.CDC_PAGE_SIZE);
    // The old generation's group 2 has a change in its very last millisecond; the new one's are early in it.
    log.write(streams[0] ?? Buffer.alloc(16), { time: new Date(START - 250 * SECOND), columns: { sequence: 1 } });
    log.write(streams[1] ?? Buffer.alloc(16), { time: new Date(recent.time.getTime() - 1), columns: { sequence: 2 } });
    log.write(streams[2] ?? Buffer.alloc(16), { time: new Date(recent.time.getTime() + 1), columns: { sequence: 3 } });
    log.write(streams[3] ?? Buffer.alloc(16), { time: new Date(recent.time.getTime() + 5), columns: { sequence: 4 } });
    const checkpoints = new InMemoryCheckpointStore();
    const leases = new InMemoryLeaseTable();
    const delivered: Delivery[] = [];
    const instance = (name: string) => {
      const sources: CdcSources = {
        generations: { generations: async () => [old, recent] },
        log,
        checkpoints,
        leases: leases.storeFor(name),
      };
      return new CdcReader({
        sources,
        consumer: 'spec',
        config,
        clock,
        logger: createLogger('cdc-reader-spec', 'silent'),
        handler: async (changes, window) => {
          for (const change of changes) delivered.push({ instance: name, generation: window.generation, sequence: change.columns.integer('sequence') });
        },
      });
    };
    const readers = [instance('a'), instance('b')];
    for (const reader of readers) reader.start();
    await eventually(() => expect(delivered).toHaveLength(4), 10_000);
    await Promise.all(readers.map((reader) => reader.stop()));

    expect(delivered.map((delivery) => delivery.generation)).toEqual([old.time, old.time, recent.time, recent.time]);
    expect(delivered.map((delivery) => delivery.sequence).sort()).toEqual([1, 2, 3, 4]);
    expect(checkpoints.saved.filter((checkpoint) => checkpoint.generation === old.time).map((checkpoint) => checkpoint.position.getTime())).toContain(
      recent.time.getTime() - 1,
    );
  });
});
