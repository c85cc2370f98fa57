import { OutboxHeader } from '@scylla-es/es-core';
import { CdcOperation, type CdcChange } from '@scylla-es/es-core/cdc';
import { eventRowMessage, type OutboundMessage } from '@scylla-es/es-core/kafka';

/**
 * Only the delta INSERT of an event row becomes a message. The static head-version update of the same batch,
 * deletes and post-images (which would publish every event twice) are not events.
 */
export function isEventInsert(change: CdcChange): boolean {
  return change.operation === CdcOperation.rowInsert && change.columns.integer('sequence') !== null;
}

/** The event id an event row's headers name, to recognise a repeat before building its message. */
export function eventIdOf(change: CdcChange): string | undefined {
  return headersOf(change)?.[OutboxHeader.eventId];
}

/** The Kafka message an event row of the CDC log asked for when it was appended (es-core's eventRowMessage). */
export function eventMessage(change: CdcChange): OutboundMessage {
  const columns = change.columns;
  return eventRowMessage({
    topic: columns.text('topic'),
    messageKey: columns.text('message_key'),
    headers: headersOf(change),
    sequence: columns.integer('sequence'),
    data: columns.text('data'),
    metadata: columns.text('metadata'),
  });
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
