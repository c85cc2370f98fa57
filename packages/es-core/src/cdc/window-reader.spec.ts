import { createLogger } from '../core/logging/logger';
import { loadConfig } from '../core/config/environment';
import { InMemoryChangeLog, InMemoryCheckpointStore, ManualClock } from '../testing';
import type { CdcChange } from './cdc-change';
import type { ChangeLog, CheckpointStore, Generation } from './cdc-ports';
import { cdcReaderConfigShape } from './cdc-reader-config';
import { GroupPositions } from './group-positions';
import { WindowReader, type CdcChangeHandler, type CdcWindow } from './window-reader';

const SECOND = 1_000;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const config = loadConfig(cdcReaderConfigShape, {
  CDC_WINDOW_MS: '30000',
  CDC_CONFIDENCE_WINDOW_MS: '5000',
  CDC_LOOKBACK_MS: '60000',
  CDC_PAGE_SIZE: '2',
  CDC_CHECKPOINT_INTERVAL_MS: '10000',
});
const streamA = Buffer.alloc(16, 0xa);
const streamB = Buffer.alloc(16, 0xb);
const generation: Generation = { time: new Date(NOW - 3_600 * SECOND), groups: [{ id: 7, streams: [streamA, streamB] }] };
const group = generation.groups[0] ?? { id: 7, streams: [] };
const inProgress = { generation, next: undefined };
const sequences = (changes: readonly CdcChange[]) => changes.map((change) => change.columns.integer('sequence'));

/** A window reader over an in-memory log whose group starts at NOW − 40 s (its checkpoint). */
function setUp(handler: CdcChangeHandler, owns: (groupId: number) => boolean = () => true) {
  const log = new InMemoryChangeLog(config.CDC_PAGE_SIZE);
  const checkpoints = new InMemoryCheckpointStore();
  const positions = new GroupPositions();
  positions.remember({ generation: generation.time, groupId: group.id, position: new Date(NOW - 40 * SECOND) });
  const clock = new ManualClock(NOW);
  const reader = new WindowReader({
    log,
    checkpoints,
    positions,
    handler,
    owns,
    config,
    clock,
    logger: createLogger('window-reader-spec', 'silent'),
  });
  const write = (stream: Buffer, secondsAgo: number, sequence: number) =>
    log.write(stream, { time: new Date(NOW - secondsAgo * SECOND), columns: { sequence } });
  return { checkpoints, positions, reader, write, clock };
}

describe('reading one window of a stream group', () => {
  it('saves the checkpoint only once the handler acknowledged every page of the window', async () => {
    let acknowledge: () => void = () => undefined;
    const delivered: (number | null)[][] = [];
    const { checkpoints, reader, write } = setUp(async (changes) => {
      delivered.push(sequences(changes));
      await new Promise<void>((resolve) => {
        acknowledge = resolve;
      });
    });
    write(streamA, 30, 1);
    const reading = reader.read(inProgress, [group]);
    await new Promise(setImmediate);
    expect(delivered).toEqual([[1]]);
    expect(checkpoints.saved).toEqual([]);
    acknowledge();
    await reading;
    expect(checkpoints.saved).toEqual([{ generation: generation.time, groupId: 7, position: new Date(NOW - 10 * SECOND) }]);
  });

  it('saves no checkpoint and keeps the position when the handler fails', async () => {
    const { checkpoints, positions, reader, write } = setUp(async () => {
      throw new Error('broker unavailable');
    });
    write(streamA, 30, 1);
    await expect(reader.read(inProgress, [group])).rejects.toThrow('broker unavailable');
    expect(checkpoints.saved).toEqual([]);
    expect(positions.of(generation, group)).toEqual(new Date(NOW - 40 * SECOND));
  });

  it('stops a window whose lease was lost after a delivery, delivering and checkpointing nothing more', async () => {
    let leased = true;
    const delivered: (number | null)[][] = [];
    const { checkpoints, positions, reader, write } = setUp(
      async (changes) => {
        delivered.push(sequences(changes));
        leased = false;
      },
      () => leased,
    );
    write(streamA, 35, 1);
    write(streamA, 34, 2);
    write(streamB, 33, 3);
    write(streamB, 32, 4);
    await expect(reader.read(inProgress, [group])).resolves.toBe(false);
    expect(delivered).toEqual([[1, 2]]);
    expect(checkpoints.saved).toEqual([]);
    expect(positions.of(generation, group)).toEqual(new Date(NOW - 40 * SECOND));
  });

  it("delivers the group's streams a page at a time, one stream after the other, each in log order", async () => {
    const delivered: (number | null)[][] = [];
    const { reader, write } = setUp(async (changes) => {
      delivered.push(sequences(changes));
    });
    write(streamB, 20, 12);
    write(streamA, 35, 1);
    write(streamB, 33, 11);
    write(streamA, 15, 2);
    write(streamA, 12, 3);
    await reader.read(inProgress, [group]);
    expect(delivered).toEqual([[1, 2], [3, 11], [12]]);
  });

  it('moves past empty windows in memory, saving them at most once per checkpoint interval', async () => {
    const { checkpoints, positions, reader } = setUp(async () => undefined);
    await reader.read(inProgress, [group]);
    expect(checkpoints.saved).toHaveLength(1);
    await reader.read(inProgress, [group]);
    expect(checkpoints.saved).toHaveLength(1);
    expect(positions.of(generation, group)).toEqual(new Date(NOW - 5 * SECOND));
  });

  it('saves an empty window that ends its generation at once, within the checkpoint interval', async () => {
    const { checkpoints, reader } = setUp(async () => undefined);
    const next: Generation = { time: new Date(NOW - 8 * SECOND), groups: [] };
    await reader.read({ generation, next }, [group]);
    await reader.read({ generation, next }, [group]);
    expect(checkpoints.saved.map((checkpoint) => checkpoint.position)).toEqual([new Date(NOW - 10 * SECOND), new Date(NOW - 8 * SECOND - 1)]);
  });

  it('reads a group quiet for CDC_IDLE_AFTER_MS only every CDC_IDLE_POLL_INTERVAL_MS, and on every pass again once it has changes', async () => {
    // Confidence window 5 s, idle after 30 s (default), idle interval 5 s (default); the group is at NOW − 40 s.
    const delivered: (number | null)[][] = [];
    const { reader, write, clock } = setUp(async (changes) => {
      delivered.push(sequences(changes));
    });
    const readAfter = async (ms: number) => {
      clock.advance(ms);
      await reader.read(inProgress, [group]);
    };
    await readAfter(0); // up to NOW − 10 s, cut by the window size: behind, so busy
    await readAfter(0); // up to NOW − 5 s, empty
    await readAfter(20_000); // up to NOW + 15 s, empty
    await readAfter(10_000); // up to NOW + 25 s, empty: quiet for 30 s, idle until NOW + 35 s
    write(streamA, -26, 1); // readable from NOW + 31 s
    await readAfter(2_000);
    expect(delivered).toEqual([]);
    await readAfter(3_000);
    expect(delivered).toEqual([[1]]);
    write(streamB, -33, 2); // readable from NOW + 38 s; the group is busy again, read on every pass
    await readAfter(3_100);
    expect(delivered).toEqual([[1], [2]]);
  });
});

describe('reading the windows of several stream groups', () => {
  const groups = [1, 2, 3].map((id) => ({ id, streams: [Buffer.alloc(16, id * 16), Buffer.alloc(16, id * 16 + 1)] }));
  const many: Generation = { time: generation.time, groups };
  const manyInProgress = { generation: many, next: undefined };

  /** A reader over the three groups at NOW − 40 s except group 3 at NOW − 20 s, counting the log's queries. */
  function setUpMany(handler: CdcChangeHandler) {
    const log = new InMemoryChangeLog(config.CDC_PAGE_SIZE);
    const queries: number[] = [];
    const countingLog: ChangeLog = {
      window: (streams, after, upTo) => {
        queries.push(streams.length);
        return log.window(streams, after, upTo);
      },
    };
    const checkpoints = new InMemoryCheckpointStore();
    const saves: number[] = [];
    const countingCheckpoints: CheckpointStore = {
      all: () => checkpoints.all(),
      save: async (saved) => {
        saves.push(saved.length);
        await checkpoints.save(saved);
      },
    };
    const positions = new GroupPositions();
    for (const { id } of groups) positions.remember({ generation: many.time, groupId: id, position: new Date(NOW - (id === 3 ? 20 : 40) * SECOND) });
    const reader = new WindowReader({
      log: countingLog,
      checkpoints: countingCheckpoints,
      positions,
      handler,
      owns: () => true,
      config,
      clock: new ManualClock(NOW),
      logger: createLogger('window-reader-spec', 'silent'),
    });
    return { log, queries, saves, checkpoints, reader };
  }

  it('reads groups at the same position with one query, and saves the checkpoints of the pass with one write', async () => {
    const delivered: CdcWindow[] = [];
    const { log, queries, saves, checkpoints, reader } = setUpMany(async (_changes, window) => {
      delivered.push(window);
    });
    log.write(groups[0]?.streams[0] ?? streamA, { time: new Date(NOW - 30 * SECOND), columns: { sequence: 1 } });
    log.write(groups[1]?.streams[1] ?? streamA, { time: new Date(NOW - 25 * SECOND), columns: { sequence: 2 } });
    await expect(reader.read(manyInProgress, groups)).resolves.toBe(true);
    // Groups 1 and 2 share (NOW − 40 s, NOW − 10 s]; group 3 is at NOW − 20 s, read apart (and concurrently) up to NOW − 5 s.
    expect(queries).toEqual([4, 2]);
    expect(delivered).toEqual([{ generation: many.time, groupIds: [1, 2], from: new Date(NOW - 40 * SECOND), to: new Date(NOW - 10 * SECOND) }]);
    expect(saves).toEqual([3]);
    expect(checkpoints.saved.map(({ groupId, position }) => [groupId, position.getTime()]).sort()).toEqual([
      [1, NOW - 10 * SECOND],
      [2, NOW - 10 * SECOND],
      [3, NOW - 5 * SECOND],
    ]);
  });
});
