import { types, type Client } from 'cassandra-driver';
import { EVENT_ROW_COLUMNS, type EventRow } from '../../core/envelope/event-row';

export interface EventRowRange {
  /** First sequence, inclusive. Default 1. */
  readonly fromSequence?: number;
  /** Last sequence, inclusive. Default: the aggregate's last event. */
  readonly toSequence?: number;
  /** Rows per database page. Default 500. */
  readonly pageSize?: number;
}

/**
 * An aggregate's event_store rows as they are stored, outbox envelope included, without upcasting: what is
 * needed to send an event to Kafka again exactly as the relay first sent it (es-core's eventRowMessage).
 */
export class CqlEventRows {
  private readonly selectRange: string;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.selectRange = `SELECT ${EVENT_ROW_COLUMNS.join(', ')} FROM ${keyspace}.event_store
      WHERE aggregate_id = ? AND sequence >= ? AND sequence <= ? LIMIT ?`;
  }

  /** One event's row, or undefined when the aggregate has no event at that sequence. */
  async one(aggregateId: string, sequence: number): Promise<EventRow | undefined> {
    const result = await this.client.execute(this.selectRange, [aggregateId, long(sequence), long(sequence), 1], { prepare: true });
    const row = result.first();
    return row ? eventRowOf(row) : undefined;
  }

  /** The rows of one aggregate in sequence order, page by page. */
  async *read(aggregateId: string, range: EventRowRange = {}): AsyncGenerator<EventRow> {
    const pageSize = range.pageSize ?? 500;
    const to = range.toSequence ?? Number.MAX_SAFE_INTEGER;
    let from = range.fromSequence ?? 1;
    for (;;) {
      const result = await this.client.execute(this.selectRange, [aggregateId, long(from), long(to), pageSize], { prepare: true });
      const rows = result.rows.map(eventRowOf);
      yield* rows;
      const last = rows.at(-1)?.sequence;
      if (rows.length < pageSize || last === null || last === undefined) return;
      from = last + 1;
    }
  }
}

/** The message columns of a selected event_store row (EVENT_ROW_COLUMNS) as plain values. */
export function eventRowOf(row: types.Row): EventRow {
  const sequence = row.get('sequence') as types.Long | null;
  return {
    topic: row.get('topic') as string | null,
    messageKey: row.get('message_key') as string | null,
    headers: row.get('headers') as Record<string, string> | null,
    sequence: sequence === null ? null : sequence.toNumber(),
    data: row.get('data') as string | null,
    metadata: row.get('metadata') as string | null,
  };
}

const long = (value: number): types.Long => types.Long.fromNumber(value);
