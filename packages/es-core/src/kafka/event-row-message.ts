import { OutboxHeader } from '../core/envelope/event-envelope';
import type { EventRow } from '../core/envelope/event-row';
import type { OutboundMessage } from './event-publisher';

/** An event row whose stored outbox envelope cannot be turned into a message: it must be dead-lettered. */
export class MalformedEventRowError extends Error {
  constructor(reason: string) {
    super(`malformed event row: ${reason}`);
    this.name = 'MalformedEventRowError';
  }
}

/**
 * The Kafka message an event row asked for when it was appended: its topic, key and headers are the row's
 * outbox envelope, and its value is the event's JSON envelope (docs/architecture.md). The envelope's other
 * fields repeat the headers, so they are taken from there.
 */
export function eventRowMessage(row: EventRow): OutboundMessage {
  const { headers, topic, messageKey: key } = row;
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
    sequence: row.sequence,
    occurredAt: header(OutboxHeader.occurredAt),
  });
  // data and metadata are stored as JSON text: checked, then spliced in as they are rather than parsed and
  // serialised again (the relay's hottest path).
  const data = jsonText(row.data, 'data');
  const metadata = jsonText(row.metadata, 'metadata');
  return { topic, key, value: `${scalars.slice(0, -1)},"data":${data},"metadata":${metadata}}`, headers };
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
