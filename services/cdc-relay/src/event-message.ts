import { CdcOperation, type CdcChange, type OutboundMessage } from '@scylla-es/es-core';
import type { types } from 'cassandra-driver';

/** The event_store columns a message is made of: all the relay asks the CDC log for. */
export const EVENT_ROW_COLUMNS = [
  'aggregate_id',
  'sequence',
  'event_id',
  'event_type',
  'schema_version',
  'data',
  'metadata',
  'occurred_at',
  'topic',
  'message_key',
  'headers',
] as const;

/**
 * Only the delta INSERT of an event row becomes a message. The static head-version update of the same batch,
 * deletes and post-images (which would publish every event twice, as the original project did) are not events.
 */
export function isEventInsert(change: CdcChange): boolean {
  return change.operation === CdcOperation.rowInsert && change.row.get('sequence') !== null;
}

/** An event row whose stored outbox envelope cannot be turned into a message: it must be dead-lettered. */
export class MalformedEventRowError extends Error {
  constructor(reason: string) {
    super(`malformed event row: ${reason}`);
    this.name = 'MalformedEventRowError';
  }
}

/**
 * The Kafka message an event row asked for when it was appended: its topic, key and headers are the row's
 * outbox envelope, and its value is the JSON envelope of ARCHITECTURE.md §2.
 */
export function eventMessage(change: CdcChange): OutboundMessage {
  const row = change.row;
  const headers = (row.get('headers') as Record<string, string> | null) ?? {};
  const topic = row.get('topic') as string | null;
  const key = row.get('message_key') as string | null;
  if (!topic || !key) throw new MalformedEventRowError('no topic or message key');
  const scalars = JSON.stringify({
    eventId: String(row.get('event_id') as types.Uuid),
    type: row.get('event_type') as string,
    schemaVersion: row.get('schema_version') as number,
    aggregateType: headers['aggregate-type'] ?? null,
    aggregateId: row.get('aggregate_id') as string,
    sequence: (row.get('sequence') as types.Long).toNumber(),
    occurredAt: (row.get('occurred_at') as Date).toISOString(),
  });
  // data and metadata are stored as JSON text: checked, then spliced in as they are rather than parsed and
  // serialised again (the relay's hottest path).
  const data = jsonText(row.get('data') as string | null, 'data');
  const metadata = jsonText(row.get('metadata') as string | null, 'metadata');
  return { topic, key, value: `${scalars.slice(0, -1)},"data":${data},"metadata":${metadata}}`, headers };
}

/** The row as it is, for a dead letter when it cannot be turned into an event message. */
export function rawRowMessage(change: CdcChange, fallbackTopic: string): OutboundMessage {
  const row = change.row;
  const headers = (row.get('headers') as Record<string, string> | null) ?? {};
  return {
    topic: (row.get('topic') as string | null) ?? fallbackTopic,
    key: (row.get('message_key') as string | null) ?? String(row.get('aggregate_id')),
    value: JSON.stringify({ data: row.get('data'), metadata: row.get('metadata'), eventType: row.get('event_type') }),
    headers,
  };
}

/** The text itself, once it is known to be one JSON value. */
function jsonText(text: string | null, column: string): string {
  if (text === null) throw new MalformedEventRowError(`${column} is null`);
  try {
    JSON.parse(text);
  } catch {
    throw new MalformedEventRowError(`${column} is not JSON`);
  }
  return text;
}
