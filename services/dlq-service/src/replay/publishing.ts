import { EngineUnavailableError } from '@scylla-es/es-core';
import { PermanentPublishError, TransientPublishError, type EventPublisher, type OutboundMessage } from '@scylla-es/es-core/kafka';
import { SendRefusedError } from './replay-errors';

/**
 * Publishes and says what went wrong in the caller's terms: Kafka out for now is a 503 (retry later), a message
 * the broker refuses for good (e.g. still too large) a 422 naming what was refused.
 */
export async function publishOrExplain(publisher: EventPublisher, messages: readonly OutboundMessage[], what: string): Promise<void> {
  try {
    await publisher.publish(messages);
  } catch (error) {
    if (error instanceof TransientPublishError) throw new EngineUnavailableError('kafka', { cause: error });
    if (error instanceof PermanentPublishError) {
      const reason = error.failures[0]?.error;
      throw new SendRefusedError(what, reason instanceof Error ? reason.message : String(reason));
    }
    throw error;
  }
}
