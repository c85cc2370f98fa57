import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces sends evenly at `perSecond`, across every caller of one instance: a bulk replay cannot flood the
 * consumers of the original topics, and two bulk replays at once share the rate instead of doubling it.
 */
export class RateLimiter {
  private nextSlot = 0;

  constructor(private readonly perSecond: number) {}

  /** Resolves when the caller may send one message. */
  async take(): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1_000 / this.perSecond;
    if (slot > now) await sleep(slot - now);
  }
}
