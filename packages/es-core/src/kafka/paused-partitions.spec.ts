import { PausedPartitions } from './paused-partitions';

describe('PausedPartitions', () => {
  const backoff = { initialDelayMs: 100, maxDelayMs: 1_000, jitter: 'full', random: () => 0.999 } as const;

  it('holds a failed partition at its offset and drops batches fetched past it', () => {
    const paused = new PausedPartitions(backoff);
    paused.hold('orders', 1, '41');
    expect(paused.isHeld('orders', 1)).toBe(true);
    expect(paused.mayHandle('orders', 1, '42')).toBe(false);
    expect(paused.mayHandle('orders', 1, '41')).toBe(true);
    expect(paused.mayHandle('orders', 1, '40')).toBe(true);
    expect(paused.mayHandle('orders', 2, '7')).toBe(true);
  });

  it('backs off longer each time the same record fails, and starts over for another record', () => {
    const paused = new PausedPartitions(backoff);
    const first = paused.hold('orders', 1, '41').retryInMs;
    const second = paused.hold('orders', 1, '41').retryInMs;
    expect(second).toBeGreaterThan(first);
    expect(paused.hold('orders', 1, '42').retryInMs).toBe(first);
  });

  it('counts the failures of a record that were not outages, and starts over for another record', () => {
    const paused = new PausedPartitions(backoff);
    expect(paused.hold('orders', 1, '41').attempts).toBe(1);
    expect(paused.hold('orders', 1, '41', true).attempts).toBe(1);
    expect(paused.hold('orders', 1, '41').attempts).toBe(2);
    expect(paused.hold('orders', 2, '41').attempts).toBe(1);
    expect(paused.hold('orders', 1, '42', true).attempts).toBe(0);
  });

  it('releases the partition once the held record is handled, not on another record', () => {
    const paused = new PausedPartitions(backoff);
    paused.hold('orders', 1, '41');
    expect(paused.release('orders', 1, '40')).toBe(false);
    expect(paused.isHeld('orders', 1)).toBe(true);
    expect(paused.release('orders', 1, '41')).toBe(true);
    expect(paused.isHeld('orders', 1)).toBe(false);
    expect(paused.size).toBe(0);
  });
});
