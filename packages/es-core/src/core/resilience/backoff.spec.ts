import { createBackoff, retry, sleep } from './backoff';

/** A random source that replays the given draws in a loop. */
const draws = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
};

const noSleep = () => Promise.resolve();

describe('createBackoff', () => {
  it('full jitter draws from [0, initial × multiplier^attempt], capped at max', () => {
    const backoff = createBackoff({ jitter: 'full', initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, random: draws(0.999999) });
    expect(Array.from({ length: 6 }, () => backoff.nextDelayMs())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    const low = createBackoff({ jitter: 'full', random: draws(0) });
    expect(low.nextDelayMs()).toBe(0);
  });

  it('decorrelated jitter stays within [initial, previous × multiplier] and under max', () => {
    const backoff = createBackoff({ jitter: 'decorrelated', initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 3, random: draws(1) });
    expect(Array.from({ length: 4 }, () => backoff.nextDelayMs())).toEqual([300, 900, 1_000, 1_000]);
    const lowest = createBackoff({ jitter: 'decorrelated', initialDelayMs: 100, random: draws(0) });
    expect([lowest.nextDelayMs(), lowest.nextDelayMs()]).toEqual([100, 100]);
  });

  it('is deterministic for a given random source and starts over on reset', () => {
    const options = { initialDelayMs: 50, maxDelayMs: 5_000, random: draws(0.3, 0.8, 0.1) } as const;
    const first = createBackoff(options);
    const sequence = Array.from({ length: 5 }, () => first.nextDelayMs());
    const second = createBackoff({ ...options, random: draws(0.3, 0.8, 0.1) });
    expect(Array.from({ length: 5 }, () => second.nextDelayMs())).toEqual(sequence);
    for (const delay of sequence) expect(delay).toBeGreaterThanOrEqual(50);

    const resettable = createBackoff({ jitter: 'full', initialDelayMs: 10, random: draws(0.999999) });
    resettable.nextDelayMs();
    resettable.nextDelayMs();
    resettable.reset();
    expect(resettable.nextDelayMs()).toBe(10);
  });

  it('rejects settings that cannot make a backoff', () => {
    expect(() => createBackoff({ initialDelayMs: 0 })).toThrow(RangeError);
    expect(() => createBackoff({ initialDelayMs: 100, maxDelayMs: 50 })).toThrow(RangeError);
    expect(() => createBackoff({ multiplier: 0.5 })).toThrow(RangeError);
  });
});

describe('retry', () => {
  const transient = new Error('transient');
  const permanent = new Error('permanent');
  const isRetryable = (error: unknown) => error === transient;

  it('retries retryable errors with backoff delays and returns the first success', async () => {
    const delays: number[] = [];
    const retries: number[] = [];
    let calls = 0;
    const result = await retry(
      async (attempt) => {
        calls += 1;
        if (attempt < 3) throw transient;
        return 'done';
      },
      {
        isRetryable,
        maxAttempts: 5,
        backoff: { jitter: 'full', initialDelayMs: 10, random: draws(0.999999) },
        sleep: async (ms) => void delays.push(ms),
        onRetry: ({ attempt }) => void retries.push(attempt),
      },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(delays).toEqual([10, 20]);
    expect(retries).toEqual([1, 2]);
  });

  it('never retries a non-retryable error', async () => {
    let calls = 0;
    const attempt = retry(
      async () => {
        calls += 1;
        throw permanent;
      },
      { isRetryable, maxAttempts: 10, sleep: noSleep },
    );
    await expect(attempt).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('throws the last error once maxAttempts are spent', async () => {
    let calls = 0;
    const failing = retry(
      async () => {
        calls += 1;
        throw transient;
      },
      { isRetryable, maxAttempts: 4, sleep: noSleep },
    );
    await expect(failing).rejects.toBe(transient);
    expect(calls).toBe(4);
  });

  it('retries until the signal is aborted, then throws its reason', async () => {
    const controller = new AbortController();
    const shutdown = new Error('shutdown');
    let calls = 0;
    const failing = retry(
      async () => {
        calls += 1;
        if (calls === 25) controller.abort(shutdown);
        throw transient;
      },
      { isRetryable, signal: controller.signal, sleep: noSleep },
    );
    await expect(failing).rejects.toBe(shutdown);
    expect(calls).toBe(25);
  });

  it('interrupts a long wait when the signal is aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const failing = retry(
      async () => {
        throw transient;
      },
      { isRetryable, signal: controller.signal, backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 } },
    );
    setTimeout(() => controller.abort(new Error('stop')), 5);
    await expect(failing).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets an error lengthen the wait', async () => {
    const delays: number[] = [];
    await retry(
      async (attempt) => {
        if (attempt === 1) throw transient;
      },
      {
        isRetryable,
        maxAttempts: 2,
        backoff: { initialDelayMs: 10, random: draws(0) },
        delayFor: (_error, backoffDelayMs) => Math.max(backoffDelayMs, 500),
        sleep: async (ms) => void delays.push(ms),
      },
    );
    expect(delays).toEqual([500]);
  });
});

describe('sleep', () => {
  it('resolves after the delay and rejects at once on an aborted signal', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const reason = new Error('aborted');
    await expect(sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
