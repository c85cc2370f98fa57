import { OutboxHeader } from '@scylla-es/es-core';
import { CdcOperation, type CdcChange } from '@scylla-es/es-core/cdc';
import type { OutboundMessage } from '@scylla-es/es-core/kafka';

/**
 * The event_store columns a message is made of: all the relay asks the CDC log for. The row's outbox envelope
 * (topic, key, headers) plus the event's data and metadata; the envelope's other fields repeat the headers
 * (docs/architecture.md), so they are taken from there: every column left out is less for the database to send
 * and for the relay to decode, the relay's largest cost after Kafka encoding.
 */
export const EVENT_ROW_COLUMNS = ['sequence', 'data', 'metadata', 'topic', 'message_key', 'headers'] as const;

/**
 * Only the delta INSERT of an event row becomes a message. The static head-version update of the same batch,
 * deletes and post-images (which would publish every event twice) are not events.
 */
export function isEventInsert(change: CdcChange): boolean {
  return change.operation === CdcOperation.rowInsert && change.columns.integer('sequence') !== null;
}

/** An event row whose stored outbox envelope cannot be turned into a message: it must be dead-lettered. */
export class MalformedEventRowError extends Error {
  constructor(reason: string) {
    super(`malformed event row: ${reason}`);
    this.name = 'MalformedEventRowError';
  }
}

/** The event id an event row's headers name, to recognise a repeat before building its message. */
export function eventIdOf(change: CdcChange): string | undefined {
  return headersOf(change)?.[OutboxHeader.eventId];
}

/**
 * The Kafka message an event row asked for when it was appended: its topic, key and headers are the row's
 * outbox envelope, and its value is the event's JSON envelope (docs/architecture.md).
 */
export function eventMessage(change: CdcChange): OutboundMessage {
  const columns = change.columns;
  const headers = headersOf(change);
  const topic = columns.text('topic');
  const key = columns.text('message_key');
  if (!headers) throw new MalformedEventRowError('no headers');
  if (!topic || !key) throw new MalformedEventRowError('no topic or message key');
  const header = (name: string): string => {
    const value = headers[name];
    if (!value) throw new MalformedEventRowError(`no ${name} header`);
    return value;
  };
  const schemaVersion = Number(header(OutboxHeader.schemaVersion));
  if (!Number.isInteger(schemaVersion)) throw new MalformedEventRowError(`the ${OutboxHeader.schemaVersion} header is not an integer`);
  const scalars = JSON.stringify({
    eventId: header(OutboxHeader.eventId),
    type: header(OutboxHeader.eventType),
    schemaVersion,
    aggregateType: header(OutboxHeader.aggregateType),
    aggregateId: header(OutboxHeader.aggregateId),
    sequence: columns.integer('sequence'),
    occurredAt: header(OutboxHeader.occurredAt),
  });
  // data and metadata are stored as JSON text: checked, then spliced in as they are rather than parsed and
  // serialised again (the relay's hottest path).
  const data = jsonText(columns.text('data'), 'data');
  const metadata = jsonText(columns.text('metadata'), 'metadata');
  return { topic, key, value: `${scalars.slice(0, -1)},"data":${data},"metadata":${metadata}}`, headers };
}

/** The row as it is, for a dead letter when it cannot be turned into an event message. */
export function rawRowMessage(change: CdcChange, fallbackTopic: string): OutboundMessage {
  const columns = change.columns;
  const headers = headersOf(change) ?? {};
  return {
    topic: columns.text('topic') || fallbackTopic,
    key: columns.text('message_key') || (headers[OutboxHeader.aggregateId] ?? 'unknown'),
    value: JSON.stringify({ data: columns.text('data'), metadata: columns.text('metadata'), sequence: String(columns.integer('sequence')) }),
    headers,
  };
}

const headersOf = (change: CdcChange): Readonly<Record<string, string>> | null => change.columns.textMap('headers');

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
