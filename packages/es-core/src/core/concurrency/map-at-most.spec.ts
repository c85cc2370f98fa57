import { setTimeout as sleep } from 'node:timers/promises';
import { mapAtMost } from './map-at-most';

describe('mapAtMost', () => {
  it('resolves with every result in the order of the items, never running more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapAtMost([30, 5, 20, 1, 10, 2], 3, async (delayMs) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(delayMs);
      running -= 1;
      return delayMs * 2;
    });
    expect(results).toEqual([60, 10, 40, 2, 20, 4]);
    expect(most).toBe(3);
  });

  it('starts nothing after the first failure and throws it only once the running items settled', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    const outcome = mapAtMost([1, 2, 3, 4, 5], 2, async (item) => {
      started.push(item);
      await sleep(item === 1 ? 5 : 30);
      settled.push(item);
      if (item === 1) throw new Error('item 1 failed');
      return item;
    });
    await expect(outcome).rejects.toThrow('item 1 failed');
    expect(started).toEqual([1, 2]);
    expect(settled).toEqual([1, 2]);
  });

  it('resolves at once with nothing to do', async () => {
    await expect(mapAtMost([], 4, async () => 1)).resolves.toEqual([]);
  });
});
