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
    const first = paused.hold('orders', 1, '41');
    const second = paused.hold('orders', 1, '41');
    expect(second).toBeGreaterThan(first);
    expect(paused.hold('orders', 1, '42')).toBe(first);
  });

  it('releases the partition once every record up to the held one is handled, not before', () => {
    const paused = new PausedPartitions(backoff);
    paused.hold('orders', 1, '41');
    expect(paused.releaseThrough('orders', 1, '40')).toBeUndefined();
    expect(paused.isHeld('orders', 1)).toBe(true);
    expect(paused.releaseThrough('orders', 2, '90')).toBeUndefined();
    expect(paused.releaseThrough('orders', 1, '45')).toBe('41');
    expect(paused.isHeld('orders', 1)).toBe(false);
    expect(paused.size).toBe(0);
  });
});
