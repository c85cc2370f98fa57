import type { EngineFailure } from '../core/errors/engine-failure';
import { TransientPublishError } from './publish-errors';

interface KafkaJsErrorShape {
  readonly name?: unknown;
  /** kafkajs marks every error it would retry itself (connection lost, request timed out, leader moving, …). */
  readonly retriable?: unknown;
}

/**
 * What a kafkajs error (this one, not its causes) means for the client. kafkajs says itself whether an error is
 * worth retrying; an exhausted retry (KafkaJSNumberOfRetriesExceeded, not retriable) carries the retriable error
 * as its cause, which the caller's cause walk reaches. A produce that timed out may still have been written, but
 * every Kafka consumer here deduplicates (delivery is at-least-once), so Kafka failures are all `unavailable`.
 */
export function kafkaFailureOf(error: unknown): EngineFailure | undefined {
  if (error instanceof TransientPublishError) return { engine: 'kafka', kind: 'unavailable' };
  if (!(error instanceof Error)) return undefined;
  const shape = error as Error & KafkaJsErrorShape;
  return error.name.startsWith('KafkaJS') && shape.retriable === true ? { engine: 'kafka', kind: 'unavailable' } : undefined;
}
