import type { Logger } from '../core/logging/logger';
import { retry, type BackoffOptions } from '../core/resilience/backoff';
import {
  CircuitBreaker,
  CircuitOpenError,
  CircuitState,
  circuitStateName,
  type CircuitBreakerOptions,
} from '../core/resilience/circuit-breaker';
import { DeadLetterPublishError, type DeadLetterSink } from './dead-letter';
import type { EventPublisher, OutboundMessage } from './event-publisher';
import { PermanentPublishError, PublishError, TransientPublishError } from './publish-errors';

/** Hooks a service maps onto its metrics; es-core stays free of prom-client here. */
export interface PublishObserver {
  /** Messages the broker acknowledged. */
  onPublished?(count: number): void;
  /** A failed attempt that will be retried (1 = the first retry). Circuit-open waits are not counted. */
  onRetry?(attempt: number, error: unknown): void;
  onDeadLettered?(message: OutboundMessage, error: Error): void;
  onCircuitStateChange?(state: CircuitState): void;
}

export interface ResilientPublisherOptions {
  readonly publisher: EventPublisher;
  readonly deadLetters: DeadLetterSink;
  /** The service's shutdown: the only thing that ends the retrying of an outage. */
  readonly signal: AbortSignal;
  /** Default: 500 ms growing to 30 s, decorrelated jitter. */
  readonly backoff?: BackoffOptions;
  /** Default: opens after 5 consecutive failures, half-opens after 10 s. */
  readonly circuitBreaker?: Omit<CircuitBreakerOptions, 'name' | 'isFailure' | 'onStateChange'> & { readonly name?: string };
  readonly observer?: PublishObserver;
  readonly logger?: Logger;
  /** Replaceable in tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2, jitter: 'decorrelated' };

/**
 * The relay's publishing rule (docs/architecture.md) around any EventPublisher:
 * - broker down or slow (transient): retry with jittered backoff until it works or the signal aborts; the
 *   circuit breaker opens on repeated failures and half-opens to probe. NOTHING is dead-lettered for an outage.
 * - a message that can never be published (permanent): dead-letter it, then carry on with the rest.
 * - the dead letter cannot be published either: throw DeadLetterPublishError, and the caller stops advancing
 *   its checkpoint so the message is read and tried again rather than lost.
 *
 * `publish` resolves when every message is either acknowledged or dead-lettered. It rejects with
 * DeadLetterPublishError, or with the signal's reason on shutdown (the batch is then not done).
 */
export class ResilientPublisher implements EventPublisher {
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: ResilientPublisherOptions) {
    const { name = 'kafka', ...breakerOptions } = options.circuitBreaker ?? {};
    this.breaker = new CircuitBreaker({
      ...breakerOptions,
      name,
      // A broker that refuses a message for good has answered: it is up.
      isFailure: (error) => !(error instanceof PermanentPublishError),
      onStateChange: (state, previous) => {
        options.logger?.[state === CircuitState.Closed ? 'info' : 'warn']('Kafka circuit breaker changed state', {
          state: circuitStateName(state),
          previous: circuitStateName(previous),
        });
        options.observer?.onCircuitStateChange?.(state);
      },
    });
  }

  /** 0 closed, 1 half-open, 2 open. */
  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  async publish(messages: readonly OutboundMessage[]): Promise<void> {
    const { observer, logger, signal } = this.options;
    let pending = messages;
    let attempts = 0;
    if (pending.length === 0) return;

    await retry(
      async () => {
        for (;;) {
          try {
            await this.breaker.execute(() => {
              attempts += 1;
              return this.options.publisher.publish(pending);
            });
            observer?.onPublished?.(pending.length);
            return;
          } catch (error) {
            if (!(error instanceof PublishError)) throw error;
            const failures = error instanceof PermanentPublishError ? error.failures : [];
            const acknowledged = pending.length - error.remaining.length - failures.length;
            if (acknowledged > 0) observer?.onPublished?.(acknowledged);
            pending = error.remaining;
            if (!(error instanceof PermanentPublishError)) throw error;

            await this.deadLetter(error, attempts);
            if (pending.length === 0) return;
            // A transient failure cut the batch short after the culprits were found: back off like any other.
            if (error.cause !== undefined) throw new TransientPublishError(error.cause, pending);
          }
        }
      },
      {
        signal,
        isRetryable: (error) => !(error instanceof DeadLetterPublishError),
        backoff: this.options.backoff ?? DEFAULT_BACKOFF,
        // An open circuit refuses calls until it half-opens: trying earlier would only spin.
        delayFor: (_error, backoffDelayMs) => Math.max(backoffDelayMs, this.breaker.retryAfterMs),
        onRetry: ({ attempt, error, delayMs }) => {
          if (error instanceof CircuitOpenError) return;
          observer?.onRetry?.(attempt, error);
          logger?.warn('publishing to Kafka failed; retrying', {
            attempt,
            delayMs,
            pending: pending.length,
            error: error instanceof Error ? error.message : String(error),
          });
        },
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      },
    );
  }

  private async deadLetter(error: PermanentPublishError, attempts: number): Promise<void> {
    const deadLetters = error.failures.map((failure) => ({ message: failure.message, error: failure.error, attempts }));
    for (const failure of error.failures) {
      this.options.logger?.error('message can never be published; sending it to the dead letters', {
        topic: failure.message.topic,
        key: failure.message.key,
        error: failure.error.message,
      });
    }
    await this.options.deadLetters.send(deadLetters);
    for (const failure of error.failures) this.options.observer?.onDeadLettered?.(failure.message, failure.error);
  }
}
