import { randomUUID } from 'node:crypto';
import { OutboxHeader, type Logger } from '@scylla-es/es-core';
import type { CqlEventRows } from '@scylla-es/es-core/cql';
import { ReplayHeader, eventRowMessage, type EventPublisher, type OutboundMessage } from '@scylla-es/es-core/kafka';
import type { DlqMetrics } from '../dlq-metrics';
import { publishOrExplain } from './publishing';
import { AggregateNotFoundError } from './replay-errors';

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

/** Events sent per publish call: the publisher keeps their order per key. */
const BATCH = 200;

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
    const republishId = randomUUID();
    const at = new Date();
    const extra = { [ReplayHeader.republishOf]: republishId, [ReplayHeader.replayedAt]: at.toISOString() };
    let batch: OutboundMessage[] = [];
    let events = 0;
    let first: number | undefined;
    let last: number | undefined;
    const flush = async () => {
      await publishOrExplain(this.publisher, batch, `events of ${aggregateType} ${aggregateId}`);
      this.metrics.republished(batch.length);
      batch = [];
    };
    const range = { ...(fromSequence !== undefined ? { fromSequence } : {}), ...(toSequence !== undefined ? { toSequence } : {}) };
    for await (const row of this.rows.read(aggregateId, range)) {
      const message = eventRowMessage(row);
      // event_store is keyed by aggregate id alone: the type in the request must be the stored one.
      if (message.headers[OutboxHeader.aggregateType] !== aggregateType) throw new AggregateNotFoundError(aggregateType, aggregateId);
      batch.push({ ...message, headers: { ...message.headers, ...extra } });
      events += 1;
      first ??= row.sequence ?? undefined;
      last = row.sequence ?? last;
      if (batch.length >= BATCH) await flush();
    }
    if (events === 0 || first === undefined || last === undefined) throw new AggregateNotFoundError(aggregateType, aggregateId);
    if (batch.length > 0) await flush();
    this.logger.info('events republished from event_store', { republishId, by, aggregateType, aggregateId, events, fromSequence: first, toSequence: last });
    return { republishId, aggregateType, aggregateId, events, fromSequence: first, toSequence: last, republishedAt: at.toISOString() };
  }
}
