import { EventSourcingError, NotFoundError, RuleViolationError } from '@scylla-es/es-core';

/** The Idempotency-Key was first used for another request (method, path, body, If-Match or caller): HTTP 422. */
export class IdempotencyKeyReusedError extends EventSourcingError {
  readonly status = 422;
  constructor() {
    super(
      'idempotency-key-reused',
      'this Idempotency-Key was already used for a different request; use a new key for a new request',
    );
  }
}

/** A request with the same Idempotency-Key is still being executed: HTTP 409 + Retry-After. */
export class RequestInProgressError extends EventSourcingError {
  readonly status = 409;
  constructor(readonly retryAfterSeconds: number) {
    super('request-in-progress', 'a request with this Idempotency-Key is still in progress; retry later', {
      retryAfterSeconds,
    });
  }
}

/** Another customer holds the address. The address itself is not echoed: problem documents end up in logs. */
export class CustomerEmailTakenError extends RuleViolationError {
  constructor() {
    super('customer-email-already-taken', 'the email address is already used by another customer');
  }
}

/** Time travel past the aggregate's head. */
export class VersionNotFoundError extends NotFoundError {
  constructor(requested: number, head: number) {
    super('aggregate-version-not-found', `version ${requested} does not exist; the aggregate is at version ${head}`, {
      requestedVersion: requested,
      currentVersion: head,
    });
  }
}
