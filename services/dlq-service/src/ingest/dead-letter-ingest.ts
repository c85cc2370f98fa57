import type { Logger } from '@scylla-es/es-core';
import type { ConsumedMessage } from '@scylla-es/es-core/kafka';
import { deadLetterRecordOf } from '../messages/dead-letter-record';
import { recordFailure } from '../messages/dlq-message';
import type { DlqMetrics } from '../dlq-metrics';
import type { MessageLocks } from '../store/message-locks';
import type { MessageStore } from '../store/message-store';

export interface DeadLetterIngestParts {
  readonly store: MessageStore;
  readonly locks: MessageLocks;
  readonly metrics: DlqMetrics;
  readonly logger: Logger;
}

/**
 * Stores one record of the dead-letter topic, for the CommittingConsumer: it resolves once the message row, its
 * audit entry and its index rows are written, and only then is the offset committed. Any failure (the database
 * down, the message locked by a replay) rejects, which pauses the partition and retries the same record: a dead
 * letter is never skipped.
 */
export function deadLetterIngest({ store, locks, metrics, logger }: DeadLetterIngestParts): (message: ConsumedMessage) => Promise<void> {
  return async (message) => {
    const letter = deadLetterRecordOf(message);
    await locks.withLock(letter.id, async () => {
      const current = await store.get(letter.id);
      const change = recordFailure(current, letter);
      if (!change) {
        metrics.duplicateSkipped(letter.source);
        return;
      }
      await store.write(current, change);
      metrics.ingested(letter.source);
      logger.info(current ? 'dead letter of a stored message: failed again' : 'dead letter stored', {
        id: letter.id,
        source: letter.source,
        topic: letter.topic,
        aggregateId: letter.aggregateId,
        sequence: letter.sequence,
        errorClass: letter.errorClass,
        attempts: change.message.attempts,
        status: change.message.status,
      });
    });
  };
}
