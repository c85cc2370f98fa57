import { randomUUID } from 'node:crypto';
import type { EventRow } from '@scylla-es/es-core';
import { ReplayHeader, eventRowMessage, MalformedEventRowError, type EventPublisher, type OutboundMessage } from '@scylla-es/es-core/kafka';
import type { DlqMetrics } from '../dlq-metrics';
import { publishOrExplain } from './publishing';
import { StoredEventMalformedError } from './replay-errors';

/** Events sent per publish call: the publisher keeps their order per key. */
const BATCH = 200;

/**
 * One republish on its way: stored rows become the messages the relay sent for them (es-core's eventRowMessage)
 * plus `dlq-republish-of` and `dlq-replayed-at`, and go out in batches, in the order they were added. Both forms
 * of `/dlq/republish` send through it.
 */
export class RepublishSender {
  private batch: OutboundMessage[] = [];
  private sentCount = 0;
  private readonly extraHeaders: Readonly<Record<string, string>>;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly metrics: DlqMetrics,
    readonly republishId: string = randomUUID(),
    readonly at: Date = new Date(),
  ) {
    this.extraHeaders = { [ReplayHeader.republishOf]: republishId, [ReplayHeader.replayedAt]: at.toISOString() };
  }

  /** Events handed to Kafka so far (added ones still waiting for their batch are not counted). */
  get sent(): number {
    return this.sentCount;
  }

  /** The message of one stored row, or a 422 naming the row when it cannot become one. */
  messageOf(aggregateId: string, row: EventRow): OutboundMessage {
    try {
      const message = eventRowMessage(row);
      return { ...message, headers: { ...message.headers, ...this.extraHeaders } };
    } catch (error) {
      if (error instanceof MalformedEventRowError) throw new StoredEventMalformedError(aggregateId, row.sequence, error.message, this.sentCount);
      throw error;
    }
  }

  async add(messages: readonly OutboundMessage[], what: string): Promise<void> {
    this.batch.push(...messages);
    if (this.batch.length >= BATCH) await this.flush(what);
  }

  async flush(what: string): Promise<void> {
    if (this.batch.length === 0) return;
    await publishOrExplain(this.publisher, this.batch, what);
    this.metrics.republished(this.batch.length);
    this.sentCount += this.batch.length;
    this.batch = [];
  }
}
