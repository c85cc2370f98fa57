import { setTimeout as sleep } from 'node:timers/promises';
import { handleByKey, type KeyedRecord } from './keyed-batch';

const batch = (keys: string): KeyedRecord[] => [...keys].map((key, index) => ({ offset: String(100 + index), key }));

describe('handleByKey', () => {
  it('handles the records of one key in offset order while other keys run alongside', async () => {
    const records = batch('abab');
    const finished: string[] = [];
    let releaseFirst = (): void => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const result = await handleByKey(records, {
      concurrency: 2,
      shouldContinue: () => true,
      handle: async (record) => {
        // a's first record waits until b is done: b must not wait for it, a's second must.
        if (record.offset === '100') await firstHeld;
        finished.push(record.offset);
        if (record.offset === '103') releaseFirst();
      },
    });
    expect(finished).toEqual(['101', '103', '100', '102']);
    expect(result).toEqual({ handledThrough: records[3] });
  });

  it('reports the handled run from the start as it grows, never past a record still running', async () => {
    const records = batch('abc');
    const through: string[] = [];
    let releaseFirst = (): void => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    await handleByKey(records, {
      concurrency: 3,
      shouldContinue: () => true,
      handle: async (record) => {
        if (record.key === 'a') await firstHeld;
        if (record.key === 'c') releaseFirst();
      },
      onHandledThrough: (record) => void through.push(record.offset),
    });
    expect(through).toEqual(['102']);
  });

  it('stops at the earliest failure: the failed key goes no further, no new key starts, the run ends before it', async () => {
    const records = batch('abcab');
    const handled: string[] = [];
    const error = new Error('poison');
    const result = await handleByKey(records, {
      concurrency: 1,
      shouldContinue: () => true,
      handle: async (record) => {
        if (record.offset === '101') throw error;
        handled.push(record.offset);
      },
    });
    expect(handled).toEqual(['100', '103']);
    expect(result).toEqual({ handledThrough: records[0], failed: { record: records[1], error } });
  });

  it('keeps the earliest of several failures', async () => {
    const records = batch('ab');
    const result = await handleByKey(records, {
      concurrency: 2,
      shouldContinue: () => true,
      handle: async (record) => {
        await sleep(record.key === 'a' ? 10 : 0);
        throw new Error(record.offset);
      },
    });
    expect(result.handledThrough).toBeUndefined();
    expect(result.failed?.record).toBe(records[0]);
  });

  it('keeps keyless records in one ordered lane and stops when told to', async () => {
    const records: KeyedRecord[] = [
      { offset: '1', key: undefined },
      { offset: '2', key: undefined },
      { offset: '3', key: undefined },
    ];
    const handled: string[] = [];
    const result = await handleByKey(records, {
      concurrency: 4,
      shouldContinue: () => handled.length < 2,
      handle: async (record) => void handled.push(record.offset),
    });
    expect(handled).toEqual(['1', '2']);
    expect(result).toEqual({ handledThrough: records[1] });
  });

  describe('with runs', () => {
    /** Records a run or a single handling took, in the order they were taken. */
    const taking = () => {
      const taken: string[][] = [];
      return {
        taken,
        handle: async (record: KeyedRecord) => void taken.push([record.offset]),
      };
    };

    it('offers a key its remaining records, hands one by one what a run leaves, and offers the rest again', async () => {
      const records = batch('aaaaab');
      const { taken, handle } = taking();
      const result = await handleByKey(records, {
        concurrency: 1,
        shouldContinue: () => true,
        handle,
        // Takes two at most: the lane goes run, run, single.
        handleRun: async (run) => {
          const take = run.slice(0, 2);
          taken.push(take.map((record) => record.offset));
          return take.length;
        },
      });
      expect(taken).toEqual([['100', '101'], ['102', '103'], ['104'], ['105']]);
      expect(result).toEqual({ handledThrough: records[5] });
    });

    it('handles one by one the records a run declined or failed on, failure included', async () => {
      const records = batch('aaa');
      const handled: string[] = [];
      const error = new Error('poison');
      let runs = 0;
      const result = await handleByKey(records, {
        concurrency: 1,
        shouldContinue: () => true,
        handle: async (record) => {
          if (record.offset === '101') throw error;
          handled.push(record.offset);
        },
        handleRun: async () => {
          runs += 1;
          if (runs === 1) return 0;
          throw new Error('the run failed');
        },
      });
      expect(handled).toEqual(['100']);
      expect(result).toEqual({ handledThrough: records[0], failed: { record: records[1], error } });
    });

    it('reports a run handled through its last record, and never offers a single record as a run', async () => {
      const records = batch('aab');
      const through: string[] = [];
      const offered: number[] = [];
      await handleByKey(records, {
        concurrency: 1,
        shouldContinue: () => true,
        handle: async () => undefined,
        handleRun: async (run) => {
          offered.push(run.length);
          return run.length;
        },
        onHandledThrough: (record) => void through.push(record.offset),
      });
      expect(offered).toEqual([2]);
      expect(through).toEqual(['101', '102']);
    });
  });
});
