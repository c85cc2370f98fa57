import { createBackoff, type Backoff, type BackoffOptions } from '../core/resilience/backoff';

/** How a held record stands after one more failure. */
export interface HeldRecord {
  /** How long to wait before trying it again. */
  readonly retryInMs: number;
  /** Its failures that were not outages, this one included: what a bounded retry counts. */
  readonly attempts: number;
}

/**
 * Partitions whose handler failed, each held at the offset that failed. While a partition is held its
 * consumption is paused; a batch fetched for it that starts past that offset (fetched before the pause) must be
 * dropped unhandled, so nothing after the failed record is ever handled before it. Each partition backs
 * off on its own: one aggregate's trouble must not slow the retries of another.
 */
export class PausedPartitions {
  private readonly held = new Map<string, { offset: string; backoff: Backoff; attempts: number }>();

  constructor(private readonly backoffOptions: BackoffOptions = {}) {}

  /**
   * Holds the partition at `offset` after a failure there. An outage does not count as an attempt: waiting for
   * an engine says nothing about the record.
   */
  hold(topic: string, partition: number, offset: string, outage = false): HeldRecord {
    const id = partitionId(topic, partition);
    const existing = this.held.get(id);
    const entry = existing?.offset === offset ? existing : { offset, backoff: createBackoff(this.backoffOptions), attempts: 0 };
    if (!outage) entry.attempts += 1;
    this.held.set(id, entry);
    return { retryInMs: entry.backoff.nextDelayMs(), attempts: entry.attempts };
  }

  /** The record at `offset` was handled: if it is the held one, the partition flows freely again (true). */
  release(topic: string, partition: number, offset: string): boolean {
    const id = partitionId(topic, partition);
    if (this.held.get(id)?.offset !== offset) return false;
    this.held.delete(id);
    return true;
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
