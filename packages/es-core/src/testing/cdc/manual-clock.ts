import type { Clock } from '../../cdc/clock';

/**
 * A clock that moves only when told to. Sleeping moves it by the time slept at once, yielding to the event loop
 * first so that loops driven by it let other work (and a spec's checks) run between their turns.
 */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.advance(ms);
  }
}
