import { ConcurrencyConflictError, EventSourcingError, WriteOutcomeUnknownError, type EventStore, type Logger } from '@scylla-es/es-core';
import { engineOutageOf, type IdempotencyStore, type StoredResponse } from '@scylla-es/es-core/cql';
import { problemFromError } from '@scylla-es/es-core/service';
import type { CommandMetrics } from './command-metrics';
import type { CommandOutcome } from './command-context';
import { IdempotencyKeyReusedError, RequestInProgressError } from './errors';

export interface IdempotentRequest {
  readonly key: string;
  /** Hash of everything that makes the request what it is (see request-fingerprint.ts). */
  readonly fingerprint: string;
  readonly aggregateId: string;
  /** 201 for a create, 200 otherwise: the status a recovered outcome is answered with. */
  readonly successStatus: number;
  /** The request path, the `instance` of a stored problem. */
  readonly instance: string;
  readonly run: () => Promise<CommandOutcome>;
}

export type IdempotentReply =
  /** Executed now; errors are thrown as usual after their outcome was recorded (or forgotten). */
  | { readonly kind: 'executed'; readonly outcome: CommandOutcome }
  /** The outcome of an earlier execution; nothing was appended. */
  | { readonly kind: 'replayed'; readonly response: StoredResponse };

/** Re-executing a failed request may succeed later, so its key is released rather than bound to the failure. */
function isFinalOutcome(error: unknown): error is EventSourcingError {
  return (
    error instanceof EventSourcingError &&
    error.status >= 400 &&
    error.status < 500 &&
    // Losing the race repeatedly is transient: a retry with the same key deserves a fresh attempt.
    !(error instanceof ConcurrencyConflictError)
  );
}

export interface IdempotentCommandsOptions {
  readonly store: IdempotencyStore;
  readonly events: EventStore;
  readonly metrics: CommandMetrics;
  readonly logger: Logger;
  /** A pending claim older than this is presumed dead (its holder crashed before recording the outcome). */
  readonly staleAfterMs: number;
}

/**
 * Idempotency-Key semantics over es-core's IdempotencyStore. The claim is an LWT, so two concurrent deliveries of
 * one request never both execute; the events carry the key as their command id, so the outcome of a claim whose
 * holder died between append and `complete` is recovered from the event store instead of being executed twice.
 */
export class IdempotentCommands {
  constructor(private readonly options: IdempotentCommandsOptions) {}

  /** Runs the request once per key: a repeat gets the recorded reply (or waits for the first to finish). */
  async runOnce(request: IdempotentRequest): Promise<IdempotentReply> {
    const { store, events, metrics, staleAfterMs } = this.options;
    const claim = await store.claim(request.key, request.fingerprint, request.aggregateId);
    switch (claim.kind) {
      case 'claimed':
        return this.runAndRecord(request);
      case 'completed':
        metrics.idempotentReplaysTotal.inc();
        return { kind: 'replayed', response: claim.response };
      case 'mismatch':
        throw new IdempotencyKeyReusedError();
      case 'in-progress': {
        const ageMs = Date.now() - claim.startedAt.getTime();
        if (ageMs < staleAfterMs) {
          throw new RequestInProgressError(Math.max(1, Math.min(5, Math.ceil((staleAfterMs - ageMs) / 1000))));
        }
        const version = await events.versionAfterCommand(claim.aggregateId ?? request.aggregateId, request.key);
        if (version !== undefined) {
          // The holder appended, then died before recording its answer: that answer is reconstructed.
          const response: StoredResponse = {
            status: request.successStatus,
            body: { id: request.aggregateId, version } satisfies CommandOutcome,
          };
          await store.complete(request.key, response);
          metrics.idempotentReplaysTotal.inc();
          return { kind: 'replayed', response };
        }
        // Nothing was appended: exactly one of the callers that find the claim stale executes it again.
        if (!(await store.takeOver(request.key, claim.startedAt))) throw new RequestInProgressError(1);
        return this.runAndRecord(request);
      }
    }
  }

  private async runAndRecord(request: IdempotentRequest): Promise<IdempotentReply> {
    let outcome: CommandOutcome;
    try {
      outcome = await request.run();
    } catch (error) {
      if (isFinalOutcome(error)) {
        const { problem } = problemFromError(error, { instance: request.instance });
        await this.recordQuietly(request.key, { status: problem.status, body: problem });
      } else if (engineOutageOf(error)?.kind === 'outcome-unknown') {
        // The append may have been applied: releasing the key would let a retry apply it a second time. The
        // claim stays pending; once stale, a retry recovers the outcome from the events or executes it once.
        throw new WriteOutcomeUnknownError('database', { retryAfterSeconds: Math.max(1, Math.ceil(this.options.staleAfterMs / 1000)), cause: error });
      } else {
        await this.forgetQuietly(request.key);
      }
      throw error;
    }
    await this.recordQuietly(request.key, { status: request.successStatus, body: outcome });
    return { kind: 'executed', outcome };
  }

  /**
   * The command is committed whatever happens here. If recording fails (an outage right now), the claim stays
   * pending and a retry after `staleAfterMs` recovers the outcome from the events, so the client still gets it.
   */
  private async recordQuietly(key: string, response: StoredResponse): Promise<void> {
    try {
      await this.options.store.complete(key, response);
    } catch (error) {
      this.options.logger.warn('could not record an idempotent outcome', { error: describe(error) });
    }
  }

  /** A claim left behind here expires into a takeover after `staleAfterMs`; nothing is lost. */
  private async forgetQuietly(key: string): Promise<void> {
    try {
      await this.options.store.forget(key);
    } catch (error) {
      this.options.logger.warn('could not release an idempotency claim', { error: describe(error) });
    }
  }
}

const describe = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
