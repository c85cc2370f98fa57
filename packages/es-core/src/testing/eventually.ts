import { setTimeout as sleep } from 'node:timers/promises';

/** Retries an assertion until it passes or the deadline is reached, then throws its last failure. */
export async function eventually(assertion: () => void | Promise<void>, timeoutMs = 10_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(intervalMs);
    }
  }
}
