import type { EventMetadata, RecordedEvent } from '../core/envelope/event-envelope';
import { ConcurrencyConflictError } from '../core/errors/store-errors';
import {
  readEveryPage,
  recordedEventsOf,
  type AppendRequest,
  type AppendResult,
  type EventPage,
  type EventStore,
  type ReadOptions,
} from '../core/ports/event-store';
import type { EventUpcasting } from '../core/upcasting/upcasting';

/** An event as the journal keeps it: data and metadata serialised, at the schema version it was written with. */
interface StoredEvent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly sequence: number;
  readonly occurredAt: Date;
  readonly data: string;
  readonly metadata: string;
  readonly commandId: string | undefined;
}

interface StoredStream {
  readonly aggregateType: string;
  readonly events: StoredEvent[];
}

/**
 * The event store in process memory, for unit specs of what runs on top of it. It keeps events serialised and
 * lifts them on read as the CQL store does, so a spec sees the same data a real load would.
 */
export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, StoredStream>();

  constructor(private readonly upcastingFor: (aggregateType: string) => EventUpcasting) {}

  async append(request: AppendRequest): Promise<AppendResult> {
    const { stream, expectedVersion, events, metadata } = request;
    if (events.length === 0) return { nextVersion: expectedVersion, events: [] };
    const existing = this.streams.get(stream.aggregateId);
    const head = existing?.events.length ?? 0;
    if (head !== expectedVersion) throw new ConcurrencyConflictError(stream.aggregateId, expectedVersion, head);
    const recorded = recordedEventsOf(request, this.upcastingFor(stream.aggregateType));
    const target = existing ?? { aggregateType: stream.aggregateType, events: [] };
    target.events.push(
      ...recorded.map((event) => ({
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        sequence: event.sequence,
        occurredAt: new Date(event.occurredAt),
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(metadata),
        commandId: metadata.commandId,
      })),
    );
    this.streams.set(stream.aggregateId, target);
    return { nextVersion: expectedVersion + events.length, events: recorded };
  }

  async version(aggregateId: string): Promise<number> {
    return this.streams.get(aggregateId)?.events.length ?? 0;
  }

  async versionAfterCommand(aggregateId: string, commandId: string): Promise<number | undefined> {
    const sequences = (this.streams.get(aggregateId)?.events ?? [])
      .filter((event) => event.commandId === commandId)
      .map((event) => event.sequence);
    return sequences.length > 0 ? Math.max(...sequences) : undefined;
  }

  async readPage(aggregateId: string, options: ReadOptions = {}): Promise<EventPage> {
    const stream = this.streams.get(aggregateId);
    if (!stream) return { events: [] };
    const from = options.fromSequence ?? 1;
    const to = options.toSequence ?? Number.MAX_SAFE_INTEGER;
    const limit = options.pageSize ?? 500;
    const inRange = stream.events.filter((event) => event.sequence >= from && event.sequence <= to).slice(0, limit + 1);
    const events: RecordedEvent[] = [];
    for (const stored of inRange.slice(0, limit)) {
      const event = this.toRecordedEvent(stream.aggregateType, aggregateId, stored);
      if (options.asOf && event.occurredAt > options.asOf) return { events };
      events.push(event);
    }
    const next = inRange[limit];
    return next ? { events, nextSequence: next.sequence } : { events };
  }

  read(aggregateId: string, options: ReadOptions = {}): AsyncGenerator<RecordedEvent> {
    return readEveryPage((id, pageOptions) => this.readPage(id, pageOptions), aggregateId, options);
  }

  private toRecordedEvent(aggregateType: string, aggregateId: string, stored: StoredEvent): RecordedEvent {
    const upcasting = this.upcastingFor(aggregateType);
    return {
      eventId: stored.eventId,
      type: stored.type,
      schemaVersion: upcasting.currentVersion(stored.type),
      aggregateType,
      aggregateId,
      sequence: stored.sequence,
      occurredAt: new Date(stored.occurredAt),
      data: upcasting.lift(stored.type, stored.schemaVersion, JSON.parse(stored.data)),
      metadata: JSON.parse(stored.metadata) as EventMetadata,
    };
  }
}
