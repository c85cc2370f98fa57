import { setTimeout as sleep } from 'node:timers/promises';
import { ReadModelBehindError } from './errors';

const POLL_INTERVAL_MS = 50;

/**
 * Read-your-writes for a client that just got version N from the command-service: reads the model until it
 * reflects N or `waitMs` passed, then answers what it has or says how far behind it is. Without a minimum it
 * reads once.
 */
export async function readAtLeast<Found extends { readonly version: number }>(
  resource: string,
  read: () => Promise<Found | null>,
  minVersion: number | undefined,
  waitMs: number,
): Promise<Found | null> {
  const started = Date.now();
  for (;;) {
    const found = await read();
    if (minVersion === undefined || (found !== null && found.version >= minVersion)) return found;
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new ReadModelBehindError(resource, minVersion, found?.version ?? 0, waited);
    await sleep(Math.min(POLL_INTERVAL_MS, waitMs - waited));
  }
}
