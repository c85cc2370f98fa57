import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyLimit } from './concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('never runs more than the limit at once, starts waiting work in arrival order, and returns each result', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      [30, 5, 20, 1, 10].map((delayMs) =>
        limit.run(async () => {
          started.push(delayMs);
          running += 1;
          most = Math.max(most, running);
          await sleep(delayMs);
          running -= 1;
          return delayMs * 2;
        }),
      ),
    );
    expect(results).toEqual([60, 10, 40, 2, 20]);
    expect(started).toEqual([30, 5, 20, 1, 10]);
    expect(most).toBe(2);
  });

  it('frees the slot of work that failed', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });
});
