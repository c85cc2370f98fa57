import { EventSourcingError } from './domain-errors';

/** Seconds a client should wait before retrying when an engine is down: long enough for a driver reconnect. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * An engine the request depends on (ScyllaDB, Redpanda, …) cannot serve it right now (HTTP 503 + Retry-After).
 * Services wrap outages they detect themselves in it; cassandra-driver outages are recognised without wrapping.
 */
export class EngineUnavailableError extends EventSourcingError {
  readonly status = 503;
  readonly retryAfterSeconds: number;
  constructor(
    readonly engine: string,
    options: { readonly retryAfterSeconds?: number; readonly cause?: unknown } = {},
  ) {
    super('engine-unavailable', `${engine} is temporarily unavailable; retry later`, { engine });
    this.retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
