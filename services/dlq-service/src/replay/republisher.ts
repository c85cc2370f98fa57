import { OutboxHeader, type Logger } from '@scylla-es/es-core';
import type { CqlEventRows } from '@scylla-es/es-core/cql';
import type { EventPublisher } from '@scylla-es/es-core/kafka';
import type { DlqMetrics } from '../dlq-metrics';
import { AggregateNotFoundError } from './replay-errors';
import { RepublishSender } from './republish-sender';

export interface RepublishRequest {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly fromSequence?: number;
  readonly toSequence?: number;
  readonly by: string;
}

export interface RepublishReport {
  readonly republishId: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly events: number;
  readonly fromSequence: number;
  readonly toSequence: number;
  readonly republishedAt: string;
}

/**
 * Sends stored events of one aggregate to Kafka again, in sequence order, exactly as the relay first sent them,
 * plus `dlq-republish-of` and `dlq-replayed-at`: the operator's tool when a consumer lost events (e.g. the CDC
 * log's TTL expired during a long outage). Consumers treat them as any event: a duplicate changes nothing.
 */
export class Republisher {
  constructor(
    private readonly rows: CqlEventRows,
    private readonly publisher: EventPublisher,
    private readonly metrics: DlqMetrics,
    private readonly logger: Logger,
  ) {}

  async republish({ aggregateType, aggregateId, fromSequence, toSequence, by }: RepublishRequest): Promise<RepublishReport> {
    const sender = new RepublishSender(this.publisher, this.metrics);
    const what = `events of ${aggregateType} ${aggregateId}`;
    let events = 0;
    let first: number | undefined;
    let last: number | undefined;
    const range = { ...(fromSequence !== undefined ? { fromSequence } : {}), ...(toSequence !== undefined ? { toSequence } : {}) };
    for await (const row of this.rows.read(aggregateId, range)) {
      const message = sender.messageOf(aggregateId, row);
      // event_store is keyed by aggregate id alone: the type in the request must be the stored one.
      if (message.headers[OutboxHeader.aggregateType] !== aggregateType) throw new AggregateNotFoundError(aggregateType, aggregateId);
      await sender.add([message], what);
      events += 1;
      first ??= row.sequence ?? undefined;
      last = row.sequence ?? last;
    }
    if (events === 0 || first === undefined || last === undefined) throw new AggregateNotFoundError(aggregateType, aggregateId);
    await sender.flush(what);
    const { republishId, at } = sender;
    this.logger.info('events republished from event_store', { republishId, by, aggregateType, aggregateId, events, fromSequence: first, toSequence: last });
    return { republishId, aggregateType, aggregateId, events, fromSequence: first, toSequence: last, republishedAt: at.toISOString() };
  }
}
