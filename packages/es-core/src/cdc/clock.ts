import { setTimeout as sleep } from 'node:timers/promises';

/** Time as the CDC reader sees it: injected, so its windows and pauses can be driven without waiting. */
export interface Clock {
  now(): number;
  /** Waits `ms`, or less when `signal` aborts (resolving, not rejecting: a stop is not an error). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined),
};
