import { createBackoff, type Backoff, type BackoffOptions } from '../core/resilience/backoff';

/**
 * Partitions whose handler failed, each held at the offset that failed. While a partition is held its
 * consumption is paused; a batch fetched for it that starts past that offset (fetched before the pause) must be
 * dropped unhandled, so nothing after the failed record is ever handled before it. Each partition backs
 * off on its own: one aggregate's trouble must not slow the retries of another.
 */
export class PausedPartitions {
  private readonly held = new Map<string, { offset: string; backoff: Backoff }>();

  constructor(private readonly backoffOptions: BackoffOptions = {}) {}

  /** Holds the partition at `offset` and returns how long to wait before trying it again. */
  hold(topic: string, partition: number, offset: string): number {
    const id = partitionId(topic, partition);
    const existing = this.held.get(id);
    const entry = existing?.offset === offset ? existing : { offset, backoff: createBackoff(this.backoffOptions) };
    this.held.set(id, entry);
    return entry.backoff.nextDelayMs();
  }

  /**
   * Every record up to `offset` was handled: if the partition was held at one of them it flows freely again, and
   * the held offset is returned.
   */
  releaseThrough(topic: string, partition: number, offset: string): string | undefined {
    const id = partitionId(topic, partition);
    const heldAt = this.held.get(id)?.offset;
    if (heldAt === undefined || BigInt(heldAt) > BigInt(offset)) return undefined;
    this.held.delete(id);
    return heldAt;
  }

  /**
   * Whether a batch beginning at `firstOffset` may be handled: not when it begins past the held offset. One that
   * begins before it repeats records already handled, which handlers take as the duplicates they are.
   */
  mayHandle(topic: string, partition: number, firstOffset: string): boolean {
    const entry = this.held.get(partitionId(topic, partition));
    return entry === undefined || BigInt(firstOffset) <= BigInt(entry.offset);
  }

  isHeld(topic: string, partition: number): boolean {
    return this.held.has(partitionId(topic, partition));
  }

  /** After a rebalance the group re-reads from committed offsets; what was held is no longer ours to track. */
  clear(): void {
    this.held.clear();
  }

  get size(): number {
    return this.held.size;
  }
}

const partitionId = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
