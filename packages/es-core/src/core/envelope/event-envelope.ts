/** Who and what caused an event; stored with it and carried to Kafka as headers. */
export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId?: string;
  /** The command's id or Idempotency-Key: a retried command can be recognised by the events it left. */
  readonly commandId?: string;
  readonly userId?: string;
  /** W3C trace context of the request that appended the event. */
  readonly traceparent?: string;
  readonly extra?: Readonly<Record<string, string>>;
}

/** An event about to be appended: its type and data at the current schema version. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** An event as stored: the decider's event plus its place in the stream and its envelope. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly eventId: string;
  readonly type: Type;
  readonly schemaVersion: number;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly sequence: number;
  readonly occurredAt: Date;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** The stream an event belongs to. */
export interface StreamId {
  readonly aggregateType: string;
  readonly aggregateId: string;
}

/** The names of an event's Kafka headers (docs/architecture.md): the outbox envelope its row carries. */
export const OutboxHeader = {
  eventId: 'event-id',
  eventType: 'event-type',
  schemaVersion: 'schema-version',
  aggregateType: 'aggregate-type',
  aggregateId: 'aggregate-id',
  sequence: 'sequence',
  occurredAt: 'occurred-at',
  correlationId: 'correlation-id',
  causationId: 'causation-id',
  commandId: 'command-id',
  traceparent: 'traceparent',
} as const;

/**
 * Kafka headers of an event (docs/architecture.md). They are computed at append time and stored in the event
 * row, so the relay publishes exactly what was committed without knowing any domain.
 */
export function outboxHeaders(event: RecordedEvent): Record<string, string> {
  const headers: Record<string, string> = {
    [OutboxHeader.eventId]: event.eventId,
    [OutboxHeader.eventType]: event.type,
    [OutboxHeader.schemaVersion]: String(event.schemaVersion),
    [OutboxHeader.aggregateType]: event.aggregateType,
    [OutboxHeader.aggregateId]: event.aggregateId,
    [OutboxHeader.sequence]: String(event.sequence),
    [OutboxHeader.occurredAt]: event.occurredAt.toISOString(),
    [OutboxHeader.correlationId]: event.metadata.correlationId,
  };
  if (event.metadata.causationId) headers[OutboxHeader.causationId] = event.metadata.causationId;
  if (event.metadata.commandId) headers[OutboxHeader.commandId] = event.metadata.commandId;
  if (event.metadata.traceparent) headers[OutboxHeader.traceparent] = event.metadata.traceparent;
  return headers;
}
