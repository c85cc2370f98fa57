import type { ConsumedMessage } from '@scylla-es/es-core/kafka';
import { types, type Client } from 'cassandra-driver';
import type { EventEnvelope } from '../events/event-message';
import type { AggregateRef, ParkedHead } from './parked-head';

const HEAD_COLUMNS = 'aggregate_type, aggregate_id, head_sequence, head_event_id, attempts, error_class, error_message, replayed_offset, parked_at';
const RECORD_COLUMNS = 'topic, kafka_partition, kafka_offset, message_key, value, headers, record_time';

function parkingStatements(keyspace: string) {
  const events = `${keyspace}.projector_parked_events`;
  const aggregates = `${keyspace}.projector_parked_aggregates`;
  const inAggregate = 'consumer_group = ? AND aggregate_type = ? AND aggregate_id = ?';
  const inPartition = 'consumer_group = ? AND topic = ? AND kafka_partition = ?';
  return {
    headsOfPartition: `SELECT ${HEAD_COLUMNS} FROM ${aggregates} WHERE ${inPartition}`,
    headsFirst: `SELECT ${HEAD_COLUMNS} FROM ${aggregates} WHERE ${inPartition} LIMIT ?`,
    headsAfter: `SELECT ${HEAD_COLUMNS} FROM ${aggregates} WHERE ${inPartition} AND (aggregate_type, aggregate_id) > (?, ?) LIMIT ?`,
    upsertHead: `INSERT INTO ${aggregates} (consumer_group, topic, kafka_partition, ${HEAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    deleteHead: `DELETE FROM ${aggregates} WHERE ${inPartition} AND aggregate_type = ? AND aggregate_id = ?`,
    upsertEvent: `INSERT INTO ${events} (consumer_group, aggregate_type, aggregate_id, sequence, event_id, ${RECORD_COLUMNS},
      attempts, error_class, error_message, replayed_offset, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    updateEventFailure: `UPDATE ${events} SET attempts = ?, error_class = ?, error_message = ?, replayed_offset = ?, parked_at = ?
      WHERE ${inAggregate} AND sequence = ?`,
    deleteEventsBefore: `DELETE FROM ${events} WHERE ${inAggregate} AND sequence < ?`,
    deleteEvents: `DELETE FROM ${events} WHERE ${inAggregate}`,
    heldAfter: `SELECT ${RECORD_COLUMNS} FROM ${events} WHERE ${inAggregate} AND sequence > ?`,
    countHeldAfter: `SELECT COUNT(*) AS held FROM ${events} WHERE ${inAggregate} AND sequence > ?`,
  } as const;
}

/** Where a listing of parked aggregates stopped, within one topic partition. */
export interface ParkedPosition {
  readonly aggregateType: string;
  readonly aggregateId: string;
}

/**
 * The projector's parked events on CQL (migration 0006): the records of parked aggregates, in sequence order, and
 * the parked aggregates by topic partition. Writes are plain upserts and deletes, so writing the same thing twice
 * (a record redelivered after a crash) is harmless. A head's two rows are always written in one logged batch.
 */
export class ParkedEvents {
  private readonly statements: ReturnType<typeof parkingStatements>;

  constructor(
    private readonly client: Client,
    keyspace: string,
    private readonly group: string,
  ) {
    this.statements = parkingStatements(keyspace);
  }

  /** Every parked aggregate of a topic partition (bounded: the projector parks only so many per partition). */
  async headsOf(topic: string, partition: number): Promise<ParkedHead[]> {
    const result = await this.client.execute(this.statements.headsOfPartition, [this.group, topic, partition], QUERY);
    const heads: ParkedHead[] = [];
    for await (const row of result) heads.push(headOfRow(row, topic, partition));
    return heads;
  }

  /** One page of a partition's parked aggregates in (type, id) order, after `after`. */
  async page(topic: string, partition: number, after: ParkedPosition | undefined, limit: number): Promise<ParkedHead[]> {
    const result = after
      ? await this.client.execute(this.statements.headsAfter, [this.group, topic, partition, after.aggregateType, after.aggregateId, limit], QUERY)
      : await this.client.execute(this.statements.headsFirst, [this.group, topic, partition, limit], QUERY);
    return result.rows.map((row) => headOfRow(row, topic, partition));
  }

  /**
   * Makes `record` the aggregate's head: stores it and its failure, and drops what was parked before it (a head
   * that was released up to this one). Repeating it changes nothing.
   */
  async park(head: ParkedHead, record: ConsumedMessage): Promise<void> {
    const aggregate = this.aggregateParams(head);
    await this.client.batch(
      [
        { query: this.statements.deleteEventsBefore, params: [...aggregate, long(head.sequence)] },
        { query: this.statements.upsertEvent, params: [...aggregate, long(head.sequence), head.eventId, ...recordParams(record), ...headParams(head)] },
        {
          query: this.statements.upsertHead,
          params: [this.group, head.topic, head.partition, head.aggregateType, head.aggregateId, long(head.sequence), head.eventId, ...headParams(head)],
        },
      ],
      WRITE,
    );
  }

  /** Updates the head's attempts and failure (a replay of it failed), keeping its record as it was first parked. */
  async updateHead(head: ParkedHead): Promise<void> {
    await this.client.batch(
      [
        {
          query: this.statements.updateEventFailure,
          params: [...headParams(head), ...this.aggregateParams(head), long(head.sequence)],
        },
        {
          query: this.statements.upsertHead,
          params: [this.group, head.topic, head.partition, head.aggregateType, head.aggregateId, long(head.sequence), head.eventId, ...headParams(head)],
        },
      ],
      WRITE,
    );
  }

  /** Keeps an event of a parked aggregate behind its head. */
  async hold(envelope: EventEnvelope, record: ConsumedMessage, heldAt: Date): Promise<void> {
    await this.client.execute(
      this.statements.upsertEvent,
      [...this.aggregateParams(envelope), long(envelope.sequence), envelope.eventId, ...recordParams(record), null, null, null, null, heldAt],
      WRITE,
    );
  }

  /** The records held behind a head, in sequence order, as they were consumed. */
  async heldAfter(head: ParkedHead): Promise<ConsumedMessage[]> {
    const result = await this.client.execute(this.statements.heldAfter, [...this.aggregateParams(head), long(head.sequence)], QUERY);
    const records: ConsumedMessage[] = [];
    for await (const row of result) records.push(recordOfRow(row));
    return records;
  }

  async heldCount(head: ParkedHead): Promise<number> {
    const result = await this.client.execute(this.statements.countHeldAfter, [...this.aggregateParams(head), long(head.sequence)], QUERY);
    return Number(result.first()?.get('held') ?? 0);
  }

  /** Forgets everything parked of the aggregate: it flows again. */
  async release(head: ParkedHead): Promise<void> {
    await this.client.batch(
      [
        { query: this.statements.deleteEvents, params: this.aggregateParams(head) },
        { query: this.statements.deleteHead, params: [this.group, head.topic, head.partition, head.aggregateType, head.aggregateId] },
      ],
      WRITE,
    );
  }

  private aggregateParams({ aggregateType, aggregateId }: AggregateRef): unknown[] {
    return [this.group, aggregateType, aggregateId];
  }
}

const QUERY = { prepare: true, consistency: types.consistencies.localQuorum, fetchSize: 500 } as const;
const WRITE = { prepare: true, logged: true, consistency: types.consistencies.localQuorum } as const;

const long = (value: number | string): types.Long => (typeof value === 'number' ? types.Long.fromNumber(value) : types.Long.fromString(value));

function recordParams(record: ConsumedMessage): unknown[] {
  return [record.topic, record.partition, long(record.offset), record.key ?? null, record.value, record.headers, record.timestamp];
}

function headParams(head: ParkedHead): unknown[] {
  return [head.attempts, head.errorClass, head.errorMessage, head.replayedOffset === undefined ? null : long(head.replayedOffset), head.parkedAt];
}

function headOfRow(row: types.Row, topic: string, partition: number): ParkedHead {
  const replayedOffset = row.get('replayed_offset') as types.Long | null;
  return {
    topic,
    partition,
    aggregateType: row.get('aggregate_type') as string,
    aggregateId: row.get('aggregate_id') as string,
    sequence: (row.get('head_sequence') as types.Long).toNumber(),
    eventId: row.get('head_event_id') as string,
    attempts: row.get('attempts') as number,
    errorClass: row.get('error_class') as string,
    errorMessage: row.get('error_message') as string,
    replayedOffset: replayedOffset === null ? undefined : replayedOffset.toString(),
    parkedAt: row.get('parked_at') as Date,
  };
}

function recordOfRow(row: types.Row): ConsumedMessage {
  const key = row.get('message_key') as string | null;
  return {
    topic: row.get('topic') as string,
    partition: row.get('kafka_partition') as number,
    offset: (row.get('kafka_offset') as types.Long).toString(),
    key: key ?? undefined,
    value: row.get('value') as Buffer | null,
    headers: (row.get('headers') as Record<string, string> | null) ?? {},
    timestamp: row.get('record_time') as Date,
  };
}
