import { types as cassandraTypes } from 'cassandra-driver';
import { engineFailureIn, type EngineFailure, type EngineFailureKind } from '../core/errors/engine-failure';

const codes = cassandraTypes.responseErrorCodes;

/**
 * Server-side errors by what they mean. Not now: too few replicas alive, an overloaded, bootstrapping or
 * truncating node, a read that timed out or failed on replicas. Outcome unknown: a write the coordinator could not
 * confirm (timeout, failure on some replicas), or an internal server error that may have struck after it applied.
 * Everything else (syntax, invalid, unauthorized, already exists, …) is a bug of ours and stays a 500.
 */
const RESPONSE_CODE_KINDS: ReadonlyMap<number, EngineFailureKind> = new Map([
  [codes.unavailableException, 'unavailable'],
  [codes.overloaded, 'unavailable'],
  [codes.isBootstrapping, 'unavailable'],
  [codes.truncateError, 'unavailable'],
  [codes.readTimeout, 'unavailable'],
  [codes.readFailure, 'unavailable'],
  [codes.writeTimeout, 'outcome-unknown'],
  [codes.writeFailure, 'outcome-unknown'],
  [codes.serverError, 'outcome-unknown'],
]);

/**
 * Client-side failures by their kind, not their message. Every driver error sets `name` to its class, so a second
 * copy of the driver in node_modules (whose classes `instanceof` would miss) is recognised too.
 * - no host could take the request, or every connection was busy: it was never sent;
 * - the client gave up waiting for an answer: the request was sent, its outcome is unknown.
 */
const DRIVER_ERROR_KINDS: ReadonlyMap<string, EngineFailureKind> = new Map([
  ['NoHostAvailableError', 'unavailable'],
  ['BusyConnectionError', 'unavailable'],
  ['OperationTimedOutError', 'outcome-unknown'],
]);

interface DriverErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  /** The connection failed ("Socket was closed", a reset, …) while the request was in flight or queued. */
  readonly isSocketError?: unknown;
  /** …and the request had not been written yet, so the database never saw it. */
  readonly requestNotWritten?: unknown;
}

const DATABASE = 'database';

/** What a cassandra-driver error (this one, not its causes) means for the client, if it is an engine failure. */
export function cqlFailureOf(error: unknown): EngineFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const shape = error as Error & DriverErrorShape;
  if (shape.isSocketError === true) {
    return { engine: DATABASE, kind: shape.requestNotWritten === true ? 'unavailable' : 'outcome-unknown' };
  }
  if (error.name === 'ResponseError' && typeof shape.code === 'number') {
    const kind = RESPONSE_CODE_KINDS.get(shape.code);
    return kind && { engine: DATABASE, kind };
  }
  const kind = DRIVER_ERROR_KINDS.get(error.name);
  return kind && { engine: DATABASE, kind };
}

/**
 * Whether the error (or one of its causes) is a database failure or a typed engine failure, and of what kind:
 * what a background loop asks before it waits and retries instead of giving up.
 */
export function engineOutageOf(error: unknown): EngineFailure | undefined {
  return engineFailureIn(error, [cqlFailureOf]);
}
