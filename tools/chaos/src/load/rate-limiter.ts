import { setTimeout as sleep } from 'node:timers/promises';

/** Hands out at most `perSecond` permits a second, evenly spaced, to any number of waiting callers. */
export class RateLimiter {
  private nextFreeAt = 0;

  constructor(private readonly perSecond: number) {}

  async take(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = at + 1_000 / this.perSecond;
    if (at > now) await sleep(at - now);
  }
}
