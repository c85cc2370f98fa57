import { EngineUnavailableError } from './engine-unavailable';
import { WriteOutcomeUnknownError } from './write-outcome-unknown';

/**
 * What an engine failure means for the client, whatever library raised it:
 * - `unavailable`: the engine is unreachable, overloaded or timed out before acting; nothing happened, retry later.
 * - `outcome-unknown`: the request reached the engine and no answer came back (the connection died, a write timed
 *   out), so a write may or may not have been applied. Only a retry with the same Idempotency-Key is safe.
 */
export type EngineFailureKind = 'unavailable' | 'outcome-unknown';

export interface EngineFailure {
  readonly engine: string;
  readonly kind: EngineFailureKind;
  readonly retryAfterSeconds?: number;
}

/** Recognises the failures of one engine's client library in one error, without following its causes. */
export type EngineFailureRecogniser = (error: unknown) => EngineFailure | undefined;

/** Causes are followed a few levels deep so a service may wrap a driver error without hiding the failure. */
const MAX_CAUSE_DEPTH = 5;

function typedFailureOf(error: unknown): EngineFailure | undefined {
  if (error instanceof EngineUnavailableError) {
    return { engine: error.engine, kind: 'unavailable', retryAfterSeconds: error.retryAfterSeconds };
  }
  if (error instanceof WriteOutcomeUnknownError) {
    return { engine: error.engine, kind: 'outcome-unknown', retryAfterSeconds: error.retryAfterSeconds };
  }
  return undefined;
}

/** The first engine failure in the error or its causes, outermost first: a service's typed wrapper wins. */
export function engineFailureIn(error: unknown, recognisers: readonly EngineFailureRecogniser[]): EngineFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined && current !== null; depth++) {
    const failure = typedFailureOf(current) ?? recognisers.reduce<EngineFailure | undefined>((found, recognise) => found ?? recognise(current), undefined);
    if (failure) return failure;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}
