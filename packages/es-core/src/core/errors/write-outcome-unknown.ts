import { EventSourcingError } from './domain-errors';
import { DEFAULT_RETRY_AFTER_SECONDS } from './engine-unavailable';

/**
 * A write reached the engine but its answer never came back: it may or may not have been applied (HTTP 503 +
 * Retry-After, its own problem type). A retry with the same Idempotency-Key applies it at most once.
 */
export class WriteOutcomeUnknownError extends EventSourcingError {
  readonly status = 503;
  readonly retryAfterSeconds: number;
  constructor(
    readonly engine: string,
    options: { readonly retryAfterSeconds?: number; readonly cause?: unknown } = {},
  ) {
    super('write-outcome-unknown', writeOutcomeUnknownDetail(engine), { engine, retryWithSameIdempotencyKey: true });
    this.retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

export const writeOutcomeUnknownDetail = (engine: string): string =>
  `the ${engine} did not confirm whether the change was applied; retry with the same Idempotency-Key, which applies it at most once`;
