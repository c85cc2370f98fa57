import { types, type Client } from 'cassandra-driver';
import { outboxHeaders, type RecordedEvent } from '../../core/envelope/event-envelope';
import {
  readEveryPage,
  recordedEventsOf,
  type AppendRequest,
  type AppendResult,
  type EventPage,
  type EventStore,
  type ReadOptions,
} from '../../core/ports/event-store';
import { RequestCoalescer } from '../request-coalescer';
import { EVENT_ROW_COLUMNS, recordedEventOfRow } from './event-row';
import { ConcurrencyConflictError } from '../../core/errors/store-errors';
import type { EventUpcasting } from '../../core/upcasting/upcasting';

/**
 * The journal on CQL. An append is ONE conditional batch in the aggregate's partition: the static head
 * `version` must still equal the expected version (a lightweight transaction), and the same batch writes the
 * event rows with their outbox envelope. Either everything is committed or nothing is; the CDC log of
 * `event_store` then carries the events to Kafka, so no second write can be lost.
 */
export class CqlEventStore implements EventStore {
  private readonly statements: ReturnType<typeof eventStoreStatements>;
  /** Appends and page reads are the hot path of every command: they share socket writes (see RequestCoalescer). */
  private readonly coalescer = new RequestCoalescer();

  constructor(
    private readonly client: Client,
    keyspace: string,
    private readonly upcastingFor: (aggregateType: string) => EventUpcasting,
  ) {
    this.statements = eventStoreStatements(keyspace);
  }

  async append(request: AppendRequest): Promise<AppendResult> {
    const { stream, expectedVersion, events, metadata } = request;
    if (events.length === 0) return { nextVersion: expectedVersion, events: [] };
    const recorded = recordedEventsOf(request, this.upcastingFor(stream.aggregateType));
    const nextVersion = expectedVersion + events.length;
    const metadataJson = JSON.stringify(metadata);
    const recordedAt = new Date();
    const batch = [
      {
        query: this.statements.advanceHead,
        params: [nextVersion, stream.aggregateType, stream.aggregateId, expectedVersion === 0 ? null : long(expectedVersion)],
      },
      ...recorded.map((event) => ({
        query: this.statements.insertEvent,
        params: [
          stream.aggregateId,
          long(event.sequence),
          types.Uuid.fromString(event.eventId),
          event.type,
          event.schemaVersion,
          JSON.stringify(event.data),
          metadataJson,
          event.occurredAt,
          recordedAt,
          // Unset, not null: a null is a tombstone (read cost on every load, and a spurious change in the CDC log).
          metadata.commandId ?? types.unset,
          request.topic,
          stream.aggregateId,
          outboxHeaders(event),
        ],
      })),
    ];
    const result = await this.coalescer.run(() =>
      this.client.batch(batch, {
        prepare: true,
        logged: true,
        consistency: types.consistencies.localQuorum,
        serialConsistency: types.consistencies.localSerial,
      }),
    );
    if (!result.wasApplied()) {
      const actual = result.first()?.get('version') as types.Long | null | undefined;
      throw new ConcurrencyConflictError(stream.aggregateId, expectedVersion, actual ? actual.toNumber() : 0);
    }
    return { nextVersion, events: recorded };
  }

  async version(aggregateId: string): Promise<number> {
    const result = await this.client.execute(this.statements.selectHead, [aggregateId], { prepare: true });
    const version = result.first()?.get('version') as types.Long | null | undefined;
    return version ? version.toNumber() : 0;
  }

  async versionAfterCommand(aggregateId: string, commandId: string): Promise<number | undefined> {
    const result = await this.client.execute(this.statements.selectByCommand, [aggregateId, commandId], { prepare: true });
    const sequences = result.rows.map((row) => (row.get('sequence') as types.Long).toNumber());
    return sequences.length > 0 ? Math.max(...sequences) : undefined;
  }

  async readPage(aggregateId: string, options: ReadOptions = {}): Promise<EventPage> {
    const from = options.fromSequence ?? 1;
    const to = options.toSequence ?? Number.MAX_SAFE_INTEGER;
    const limit = options.pageSize ?? 500;
    const result = await this.coalescer.run(() =>
      this.client.execute(this.statements.selectRange, [aggregateId, long(from), long(to), limit + 1], { prepare: true }),
    );
    const events: RecordedEvent[] = [];
    for (const row of result.rows.slice(0, limit)) {
      const event = recordedEventOfRow(row, this.upcastingFor);
      if (options.asOf && event.occurredAt > options.asOf) return { events };
      events.push(event);
    }
    const next = result.rows[limit];
    return next ? { events, nextSequence: (next.get('sequence') as types.Long).toNumber() } : { events };
  }

  read(aggregateId: string, options: ReadOptions = {}): AsyncGenerator<RecordedEvent> {
    return readEveryPage((id, pageOptions) => this.readPage(id, pageOptions), aggregateId, options);
  }
}

const long = (value: number): types.Long => types.Long.fromNumber(value);

function eventStoreStatements(keyspace: string) {
  const table = `${keyspace}.event_store`;
  return {
    advanceHead: `UPDATE ${table} SET version = ?, aggregate_type = ? WHERE aggregate_id = ? IF version = ?`,
    insertEvent: `INSERT INTO ${table} (aggregate_id, sequence, event_id, event_type, schema_version, data, metadata,
      occurred_at, recorded_at, command_id, topic, message_key, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    selectHead: `SELECT version FROM ${table} WHERE aggregate_id = ? LIMIT 1`,
    selectByCommand: `SELECT sequence FROM ${table} WHERE aggregate_id = ? AND command_id = ? ALLOW FILTERING`,
    selectRange: `SELECT ${EVENT_ROW_COLUMNS.join(', ')} FROM ${table} WHERE aggregate_id = ? AND sequence >= ? AND sequence <= ? LIMIT ?`,
  } as const;
}
