import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent, RecordedEvent, StreamId } from '../envelope/event-envelope';
import type { EventUpcasting } from '../upcasting/upcasting';

export interface AppendRequest {
  readonly stream: StreamId;
  /** The version the caller decided on: 0 for a new aggregate. */
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
  readonly metadata: EventMetadata;
  /** Kafka topic the relay publishes these events to (the row's outbox envelope). */
  readonly topic: string;
  readonly occurredAt: Date;
}

export interface AppendResult {
  readonly nextVersion: number;
  readonly events: readonly RecordedEvent[];
}

export interface ReadOptions {
  readonly fromSequence?: number;
  readonly toSequence?: number;
  /** Only events that occurred at or before this instant (time travel). */
  readonly asOf?: Date;
  readonly pageSize?: number;
}

export interface EventPage {
  readonly events: readonly RecordedEvent[];
  /** First sequence of the next page, absent on the last page. */
  readonly nextSequence?: number;
}

/**
 * The journal of every aggregate, one stream per aggregate id. An append either writes all its events after
 * the expected version or, when the stream's head is elsewhere, nothing at all (ConcurrencyConflictError with
 * the actual head). Events come back at their current schema version, lifted by the aggregate's upcasters.
 */
export interface EventStore {
  append(request: AppendRequest): Promise<AppendResult>;
  /** The aggregate's head version, 0 when it has no events. */
  version(aggregateId: string): Promise<number>;
  /**
   * The version right after the events a command appended, if it appended any. Used only to recover the
   * outcome of an idempotent request whose process died between the append and recording its response.
   */
  versionAfterCommand(aggregateId: string, commandId: string): Promise<number | undefined>;
  /** One page of a stream, in sequence order. */
  readPage(aggregateId: string, options?: ReadOptions): Promise<EventPage>;
  /** Every event of a stream in order, page by page, so a long stream never sits in memory twice. */
  read(aggregateId: string, options?: ReadOptions): AsyncGenerator<RecordedEvent>;
}

/** `EventStore.read` for any store that can read one page: follows `nextSequence` until the last page. */
export async function* readEveryPage(
  readPage: (aggregateId: string, options: ReadOptions) => Promise<EventPage>,
  aggregateId: string,
  options: ReadOptions = {},
): AsyncGenerator<RecordedEvent> {
  let page = await readPage(aggregateId, options);
  for (;;) {
    yield* page.events;
    if (page.nextSequence === undefined) return;
    page = await readPage(aggregateId, { ...options, fromSequence: page.nextSequence });
  }
}

/**
 * The events an append records: numbered after the expected version, at their type's current schema version,
 * with their data validated by it. Every store records them alike, so a load reads back the same events.
 */
export function recordedEventsOf(request: AppendRequest, upcasting: EventUpcasting): RecordedEvent[] {
  const { stream, expectedVersion, metadata } = request;
  return request.events.map((event, index) => ({
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: upcasting.currentVersion(event.type),
    aggregateType: stream.aggregateType,
    aggregateId: stream.aggregateId,
    sequence: expectedVersion + index + 1,
    occurredAt: request.occurredAt,
    data: upcasting.validateCurrent(event.type, event.data),
    metadata,
  }));
}
