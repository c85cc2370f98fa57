import type { ParkedHead } from './parked-head';
import { ParkedSet } from './parked-set';

const headOn = (topic: string, partition: number, aggregateId: string): ParkedHead => ({
  aggregateType: 'Order',
  aggregateId,
  topic,
  partition,
  sequence: 2,
  eventId: `e-${aggregateId}`,
  attempts: 5,
  errorClass: 'Error',
  errorMessage: 'poison',
  replayedOffset: undefined,
  parkedAt: new Date('2026-01-01T00:00:00.000Z'),
});

/** A loader over a fixed "table" that counts its reads and can be made to fail. */
function tableOf(heads: ParkedHead[]) {
  const reads: string[] = [];
  let failing = false;
  return {
    reads,
    fail: (value: boolean) => void (failing = value),
    load: async (topic: string, partition: number) => {
      reads.push(`${topic}/${partition}`);
      if (failing) throw new Error('database unavailable');
      return heads.filter((head) => head.topic === topic && head.partition === partition);
    },
  };
}

describe('ParkedSet', () => {
  it('loads the parked aggregates of each assigned partition once, and knows them without reading again', async () => {
    const table = tableOf([headOn('orders', 0, 'a'), headOn('orders', 1, 'b')]);
    const parked = new ParkedSet(table.load);
    parked.assign([{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }]);

    expect((await parked.on('orders', 0)).headOf({ aggregateType: 'Order', aggregateId: 'a' })?.eventId).toBe('e-a');
    expect((await parked.on('orders', 0)).headOf({ aggregateType: 'Order', aggregateId: 'b' })).toBeUndefined();
    expect((await parked.on('orders', 1)).headOf({ aggregateType: 'Order', aggregateId: 'b' })).toBeDefined();
    expect(parked.size).toBe(2);
    expect(table.reads).toEqual(['orders/0', 'orders/1']);
  });

  it('follows parking and releasing on a partition', async () => {
    const parked = new ParkedSet(tableOf([]).load);
    const partition = await parked.on('orders', 2);
    partition.set(headOn('orders', 2, 'c'));
    expect(parked.size).toBe(1);
    partition.delete({ aggregateType: 'Order', aggregateId: 'c' });
    expect(parked.size).toBe(0);
  });

  it('forgets everything at the next group join and loads the partitions again', async () => {
    const table = tableOf([headOn('orders', 0, 'a')]);
    const parked = new ParkedSet(table.load);
    parked.assign([{ topic: 'orders', partition: 0 }]);
    (await parked.on('orders', 0)).set(headOn('orders', 0, 'not-stored'));

    parked.assign([{ topic: 'orders', partition: 0 }]);
    const reloaded = await parked.on('orders', 0);
    expect(reloaded.headOf({ aggregateType: 'Order', aggregateId: 'not-stored' })).toBeUndefined();
    expect(reloaded.size).toBe(1);
    expect(table.reads).toEqual(['orders/0', 'orders/0']);
  });

  it('loads a partition again on its next record when the load at the join failed', async () => {
    const table = tableOf([headOn('orders', 0, 'a')]);
    const parked = new ParkedSet(table.load);
    table.fail(true);
    parked.assign([{ topic: 'orders', partition: 0 }]);
    await expect(parked.on('orders', 0)).rejects.toThrow('database unavailable');
    expect(parked.size).toBe(0);

    table.fail(false);
    expect((await parked.on('orders', 0)).size).toBe(1);
    expect(parked.size).toBe(1);
  });
});
