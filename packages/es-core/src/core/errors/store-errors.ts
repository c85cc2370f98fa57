import { EventSourcingError } from './domain-errors';

/** Another writer appended first: the expected version is no longer the head (HTTP 409 after retries). */
export class ConcurrencyConflictError extends EventSourcingError {
  readonly status = 409;
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super(
      'concurrency-conflict',
      `aggregate ${aggregateId} is at version ${actualVersion ?? 'unknown'}, not the expected ${expectedVersion}`,
      { expectedVersion, actualVersion },
    );
  }
}

/** The client's If-Match version is not the aggregate's version (HTTP 412, never retried). */
export class PreconditionFailedError extends EventSourcingError {
  readonly status = 412;
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super('precondition-failed', `aggregate ${aggregateId} is at version ${actualVersion}, not ${expectedVersion}`, {
      expectedVersion,
      actualVersion,
    });
  }
}
