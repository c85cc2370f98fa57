import { errors as cassandraErrors, types as cassandraTypes } from 'cassandra-driver';
import { EngineUnavailableError } from '../core/errors/engine-unavailable';

/**
 * Server-side ScyllaDB/Cassandra errors that mean "not now" rather than "never": too few replicas alive,
 * overloaded or bootstrapping node, or a coordinator timeout. A write timeout on an LWT leaves the outcome
 * unknown, which is why clients retry with their Idempotency-Key rather than blindly.
 */
const TRANSIENT_RESPONSE_CODES: ReadonlySet<number> = new Set([
  cassandraTypes.responseErrorCodes.unavailableException,
  cassandraTypes.responseErrorCodes.overloaded,
  cassandraTypes.responseErrorCodes.isBootstrapping,
  cassandraTypes.responseErrorCodes.writeTimeout,
  cassandraTypes.responseErrorCodes.readTimeout,
]);

// Names as a fallback to instanceof: a second copy of the driver in node_modules has its own classes.
const TRANSIENT_DRIVER_ERROR_NAMES: ReadonlySet<string> = new Set(['NoHostAvailableError', 'OperationTimedOutError']);

/** Causes are followed a few levels deep so a service may wrap a driver error without hiding the outage. */
const MAX_CAUSE_DEPTH = 5;

export interface EngineOutage {
  readonly engine: string;
  readonly retryAfterSeconds?: number;
}

function asCqlOutage(error: unknown): EngineOutage | undefined {
  if (error instanceof cassandraErrors.NoHostAvailableError) return { engine: 'database' };
  if (error instanceof cassandraErrors.OperationTimedOutError) return { engine: 'database' };
  if (error instanceof cassandraErrors.ResponseError) {
    return TRANSIENT_RESPONSE_CODES.has(error.code) ? { engine: 'database' } : undefined;
  }
  if (!(error instanceof Error)) return undefined;
  if (TRANSIENT_DRIVER_ERROR_NAMES.has(error.name)) return { engine: 'database' };
  const code: unknown = (error as { code?: unknown }).code;
  if (error.name === 'ResponseError' && typeof code === 'number' && TRANSIENT_RESPONSE_CODES.has(code)) {
    return { engine: 'database' };
  }
  return undefined;
}

/** Whether the error (or one of its causes) means an engine is temporarily unavailable, and which one. */
export function engineOutageOf(error: unknown): EngineOutage | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined && current !== null; depth++) {
    if (current instanceof EngineUnavailableError) {
      return { engine: current.engine, retryAfterSeconds: current.retryAfterSeconds };
    }
    const outage = asCqlOutage(current);
    if (outage) return outage;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
