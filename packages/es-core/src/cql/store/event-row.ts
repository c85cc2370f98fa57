import type { types } from 'cassandra-driver';
import type { EventMetadata, RecordedEvent } from '../../core/envelope/event-envelope';
import type { EventUpcasting } from '../../core/upcasting/upcasting';

/** The columns of an `event_store` row that make a RecordedEvent. */
export const EVENT_ROW_COLUMNS = [
  'aggregate_id',
  'sequence',
  'aggregate_type',
  'event_id',
  'event_type',
  'schema_version',
  'data',
  'metadata',
  'occurred_at',
] as const;

/** One `event_store` row as the event it records, lifted to its current schema version. */
export function recordedEventOfRow(row: types.Row, upcastingFor: (aggregateType: string) => EventUpcasting): RecordedEvent {
  const aggregateType = row.get('aggregate_type') as string;
  const type = row.get('event_type') as string;
  const schemaVersion = row.get('schema_version') as number;
  const upcasting = upcastingFor(aggregateType);
  return {
    eventId: (row.get('event_id') as types.Uuid).toString(),
    type,
    schemaVersion: upcasting.currentVersion(type),
    aggregateType,
    aggregateId: row.get('aggregate_id') as string,
    sequence: (row.get('sequence') as types.Long).toNumber(),
    occurredAt: row.get('occurred_at') as Date,
    data: upcasting.lift(type, schemaVersion, JSON.parse(row.get('data') as string)),
    metadata: JSON.parse(row.get('metadata') as string) as EventMetadata,
  };
}
