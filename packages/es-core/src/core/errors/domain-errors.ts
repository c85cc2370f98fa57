/**
 * Typed errors shared by every aggregate. Each carries a stable `type` slug that the HTTP layer maps to an
 * RFC 9457 problem type (`/problems/<slug>`) and a status; domains subclass them with their own slugs.
 */
export abstract class EventSourcingError extends Error {
  abstract readonly status: number;
  constructor(
    readonly type: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A business rule forbids the command in the aggregate's current state (HTTP 409). */
export class RuleViolationError extends EventSourcingError {
  readonly status = 409;
}

/** The command's input is malformed or out of range (HTTP 400). */
export class ValidationError extends EventSourcingError {
  readonly status = 400;
}

/** The addressed aggregate does not exist (HTTP 404). */
export class NotFoundError extends EventSourcingError {
  readonly status = 404;
}

/** The command refers to another entity that is missing or not usable (HTTP 422). */
export class UnprocessableReferenceError extends EventSourcingError {
  readonly status = 422;
}
