import type { Logger } from '@scylla-es/es-core';
import type { EventPublisher } from '@scylla-es/es-core/kafka';
import { checkReplayable, recordReplay, recordReplayFailure, type DlqMessage } from '../messages/dlq-message';
import type { DlqMetrics } from '../dlq-metrics';
import type { MessageLocks } from '../store/message-locks';
import type { MessageStore } from '../store/message-store';
import type { RateLimiter } from './rate-limiter';
import { publishOrExplain } from './publishing';
import { MessageNotFoundError } from './replay-errors';
import { replayMessageOf, type EventRowSource } from './replay-message';

export interface ReplayerParts {
  readonly store: MessageStore;
  readonly locks: MessageLocks;
  readonly eventRow: EventRowSource;
  readonly publisher: EventPublisher;
  readonly limiter: RateLimiter;
  readonly metrics: DlqMetrics;
  readonly logger: Logger;
}

export interface ReplayRequest {
  /** The caller's principal name, for the audit trail. */
  readonly by: string;
  readonly force: boolean;
}

/**
 * Replays one message under its lock: checks it may be replayed, sends it, then marks it replayed with who and
 * when. Two replays of one message never overlap, and the second sees the first's outcome (409 without force).
 * If the process dies between the send and the mark, the lock expires and the message is still parked: replay
 * is at least once, and consumers apply a message twice as once (docs/parking-and-replay.md).
 */
export class Replayer {
  constructor(private readonly parts: ReplayerParts) {}

  async replay(id: string, { by, force }: ReplayRequest): Promise<DlqMessage> {
    const { store, locks, eventRow, publisher, limiter, metrics, logger } = this.parts;
    return locks.withLock(id, async () => {
      const current = await store.get(id);
      if (!current) throw new MessageNotFoundError(id);
      checkReplayable(current, force);
      const at = new Date();
      try {
        const outbound = await replayMessageOf(current, at, eventRow);
        await limiter.take();
        await publishOrExplain(publisher, [outbound], `the replay of message ${id}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await store.write(current, recordReplayFailure(current, { by, at }, reason));
        metrics.replayFailed(current.source);
        logger.warn('replay failed', { id, by, error: reason });
        throw error;
      }
      const change = recordReplay(current, { by, at }, { topic: current.topic, forced: force });
      await store.write(current, change);
      metrics.replayed(current.source);
      logger.info('message replayed', { id, by, topic: current.topic, aggregateId: current.aggregateId, sequence: current.sequence, forced: force });
      return change.message;
    });
  }
}
