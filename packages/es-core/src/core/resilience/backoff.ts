/**
 * Exponential backoff with jitter, and a retry loop built on it.
 *
 * Two jitter strategies (both from the AWS Architecture Blog's "Exponential Backoff And Jitter"):
 * - `decorrelated` (the default): each delay is drawn from [initial, previous × multiplier], capped at max.
 *   It never waits less than the initial delay, so a fleet of relays hammering a broker that is just coming
 *   back still spreads out, and no attempt is a hot loop.
 * - `full`: each delay is drawn from [0, min(max, initial × multiplier^attempt)]. The widest spread, but a
 *   draw near zero retries at once; use it where that is harmless.
 * A random source can be injected, which makes every delay deterministic in tests.
 */

export type JitterStrategy = 'full' | 'decorrelated';

export interface BackoffOptions {
  /** The first delay (decorrelated: also the smallest). Default 100 ms. */
  readonly initialDelayMs?: number;
  /** No delay is longer. Default 30 s (the ceiling ScyllaDB's CDC readers use). */
  readonly maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  readonly multiplier?: number;
  readonly jitter?: JitterStrategy;
  /** A number in [0, 1), like Math.random (the default). */
  readonly random?: () => number;
}

/** Successive delays of one retry sequence; `reset()` starts over after a success. */
export interface Backoff {
  nextDelayMs(): number;
  reset(): void;
}

export const DEFAULT_BACKOFF = {
  initialDelayMs: 100,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 'decorrelated',
} as const satisfies BackoffOptions;

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initial = options.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs;
  const multiplier = options.multiplier ?? DEFAULT_BACKOFF.multiplier;
  const jitter = options.jitter ?? DEFAULT_BACKOFF.jitter;
  const random = options.random ?? Math.random;
  if (!(initial > 0) || !(max >= initial) || !(multiplier >= 1)) {
    throw new RangeError(`invalid backoff: initial ${initial} ms, max ${max} ms, multiplier ${multiplier}`);
  }
  const between = (low: number, high: number) => Math.round(low + random() * (high - low));

  let attempt = 0;
  let previous = initial;
  return {
    nextDelayMs() {
      if (jitter === 'full') {
        // Past ~60 doublings the ceiling is Infinity; min() keeps it at max.
        const ceiling = Math.min(max, initial * multiplier ** attempt);
        attempt += 1;
        return between(0, ceiling);
      }
      previous = Math.min(max, between(initial, previous * multiplier));
      return previous;
    },
    reset() {
      attempt = 0;
      previous = initial;
    },
  };
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it is aborted: a shutdown must not sit out a
 * 30-second backoff.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryAttempt {
  /** 1 for the first retry, i.e. after the first failed attempt. */
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number;
}

interface RetryOptionsBase {
  /** Only errors this accepts are retried; any other is thrown at once, on the first attempt. */
  readonly isRetryable: (error: unknown) => boolean;
  readonly backoff?: Backoff | BackoffOptions;
  /** Called before each wait, e.g. to log and count retries. */
  readonly onRetry?: (retry: RetryAttempt) => void;
  /** Lets an error lengthen the wait, e.g. an open circuit that will not take calls before it half-opens. */
  readonly delayFor?: (error: unknown, backoffDelayMs: number) => number;
  /** Replaceable in tests; defaults to a real, abortable timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A retry loop must have a way to end: a number of attempts, a signal (shutdown), or both. Retrying "until
 * the signal is aborted" is how a relay waits out a broker outage without ever giving a message up.
 */
export type RetryOptions = RetryOptionsBase &
  (
    | { readonly maxAttempts: number; readonly signal?: AbortSignal }
    | { readonly maxAttempts?: undefined; readonly signal: AbortSignal }
  );

/**
 * Runs `operation` until it succeeds, a non-retryable error occurs (thrown unchanged), `maxAttempts` is
 * spent (the last error is thrown) or the signal is aborted (its reason is thrown, also mid-wait).
 */
export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = isBackoff(options.backoff) ? options.backoff : createBackoff(options.backoff);
  // Each call is one retry sequence, also when the caller hands in a Backoff it reuses.
  backoff.reset();
  const wait = options.sleep ?? sleep;
  const { signal, maxAttempts } = options;
  if (maxAttempts !== undefined && !(maxAttempts >= 1)) throw new RangeError(`maxAttempts must be ≥ 1, got ${maxAttempts}`);

  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    try {
      return await operation(attempt);
    } catch (error) {
      // An abort during the attempt is a shutdown, not a failure to retry.
      signal?.throwIfAborted();
      if (!options.isRetryable(error)) throw error;
      if (maxAttempts !== undefined && attempt >= maxAttempts) throw error;
      const backoffDelayMs = backoff.nextDelayMs();
      const delayMs = options.delayFor ? options.delayFor(error, backoffDelayMs) : backoffDelayMs;
      options.onRetry?.({ attempt, error, delayMs });
      await wait(delayMs, signal);
    }
  }
}

function isBackoff(value: Backoff | BackoffOptions | undefined): value is Backoff {
  return typeof (value as Backoff | undefined)?.nextDelayMs === 'function';
}
