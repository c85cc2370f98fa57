import type { AggregateDefinition, CommandHandler, DomainEvent, EventStore, RecordedEvent } from '@scylla-es/es-core';
import { VersionNotFoundError } from './errors';
import { ForeignStreamError } from './foreign-stream';

/** Where in its history to look at an aggregate: its head, right after a version, or as it was at an instant. */
export type PointInTime = { readonly version?: number; readonly asOf?: Date };

export interface AggregateAt<State> {
  readonly state: State;
  readonly version: number;
}

export interface EventHistoryPage {
  readonly events: readonly RecordedEvent[];
  /** The `from` of the next page; absent on the last one. */
  readonly next?: number;
}

/** Read side of the write model: states replayed from the store (snapshot-aware) and raw history pages. */
export class AggregateQueries {
  constructor(
    private readonly handler: CommandHandler,
    private readonly events: EventStore,
  ) {}

  async stateOf<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    at: PointInTime,
    notFound: () => Error,
  ): Promise<AggregateAt<State>> {
    let loaded;
    try {
      loaded = await this.handler.load(definition, aggregateId, {
        ...(at.version === undefined ? {} : { toSequence: at.version }),
        ...(at.asOf === undefined ? {} : { asOf: at.asOf }),
      });
    } catch (error) {
      if (error instanceof ForeignStreamError) throw notFound();
      throw error;
    }
    if (at.version !== undefined && loaded.version < at.version) {
      if (!definition.exists(loaded.state)) throw notFound();
      throw new VersionNotFoundError(at.version, loaded.version);
    }
    if (!definition.exists(loaded.state)) throw notFound();
    return loaded;
  }

  /** One page of the stream, checked to belong to `aggregateType`; 404 when no such aggregate exists. */
  async history(
    aggregateType: string,
    aggregateId: string,
    from: number,
    limit: number,
    notFound: () => Error,
  ): Promise<EventHistoryPage> {
    const page = await this.events.readPage(aggregateId, { fromSequence: from, pageSize: limit });
    // A page past the head is empty: the first event still tells whether the aggregate exists and its type.
    const first = page.events[0] ?? (await this.events.readPage(aggregateId, { fromSequence: 1, pageSize: 1 })).events[0];
    if (!first || first.aggregateType !== aggregateType) throw notFound();
    return page.nextSequence === undefined ? { events: page.events } : { events: page.events, next: page.nextSequence };
  }
}
