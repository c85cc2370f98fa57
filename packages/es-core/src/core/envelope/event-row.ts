/**
 * An event_store row as the columns a Kafka message is made of, as plain values: the row's outbox envelope
 * (topic, key, headers) plus the event's data and metadata as stored JSON text. The relay reads them from the
 * CDC log, the dlq-service from event_store itself; both turn them into the same message (kafka's
 * eventRowMessage).
 */
export interface EventRow {
  readonly topic: string | null;
  readonly messageKey: string | null;
  readonly headers: Readonly<Record<string, string>> | null;
  readonly sequence: number | null;
  readonly data: string | null;
  readonly metadata: string | null;
}

/** The event_store column names of an EventRow, for the statements that read them. */
export const EVENT_ROW_COLUMNS = ['sequence', 'data', 'metadata', 'topic', 'message_key', 'headers'] as const;
