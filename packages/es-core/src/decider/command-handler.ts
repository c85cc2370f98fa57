import { setTimeout as sleep } from 'node:timers/promises';
import type { EventMetadata, RecordedEvent } from '../envelope/event-envelope';
import type { CqlEventStore } from '../store/cql-event-store';
import type { CqlSnapshotStore } from '../store/snapshot-store';
import { ConcurrencyConflictError, PreconditionFailedError } from '../store/store-errors';
import type { AggregateDefinition } from './aggregate-definition';
import type { DomainEvent } from './decider';

export interface LoadedAggregate<State> {
  readonly state: State;
  readonly version: number;
}

export interface LoadOptions {
  /** State as it was right after this sequence. */
  readonly toSequence?: number;
  /** State as it was at this instant. */
  readonly asOf?: Date;
}

export interface HandleOptions {
  readonly metadata: EventMetadata;
  readonly occurredAt: Date;
  /** The version the client last saw (HTTP If-Match): a mismatch fails at once with 412, never retried. */
  readonly expectedVersion?: number;
}

export interface HandleResult<State> {
  readonly version: number;
  readonly events: readonly RecordedEvent[];
  readonly state: State;
}

/** Hooks for metrics, so the handler stays free of any metrics library. */
export interface CommandHandlerObserver {
  onConflict?(aggregateType: string, attempt: number): void;
  onAppended?(aggregateType: string, eventCount: number, seconds: number): void;
  onSnapshotFailed?(aggregateType: string, aggregateId: string, error: unknown): void;
}

export interface CommandHandlerOptions {
  /** Attempts at load → decide → append when another writer wins the race. */
  readonly maxAttempts?: number;
  readonly observer?: CommandHandlerObserver;
}

/**
 * Load (snapshot + tail) → decide → append with the loaded version as the condition. A lost race reloads
 * and decides again on the newer state, a bounded number of times; the decider therefore always judges the
 * command against the state its events will follow.
 */
export class CommandHandler {
  private readonly maxAttempts: number;
  private readonly observer: CommandHandlerObserver;

  constructor(
    private readonly events: CqlEventStore,
    private readonly snapshots: CqlSnapshotStore,
    options: CommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.observer = options.observer ?? {};
  }

  async load<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    options: LoadOptions = {},
  ): Promise<LoadedAggregate<State>> {
    const { decider, snapshots: policy } = definition;
    let state = decider.initialState();
    let version = 0;
    // A snapshot says nothing about when its events occurred, so a load "as of" an instant replays fully.
    if (policy && !options.asOf) {
      const snapshot = await this.snapshots.latest(definition.aggregateType, aggregateId, options.toSequence);
      if (snapshot && snapshot.stateVersion === policy.stateVersion) {
        state = policy.schema.parse(snapshot.state);
        version = snapshot.sequence;
      }
    }
    for await (const event of this.events.read(aggregateId, { ...options, fromSequence: version + 1 })) {
      state = decider.evolve(state, { type: event.type, data: event.data } as Event);
      version = event.sequence;
    }
    return { state, version };
  }

  async handle<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    command: Command,
    options: HandleOptions,
  ): Promise<HandleResult<State>> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.load(definition, aggregateId);
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new PreconditionFailedError(aggregateId, options.expectedVersion, current.version);
      }
      const decided = definition.decider.decide(command, current.state);
      if (decided.length === 0) return { version: current.version, events: [], state: current.state };
      const started = process.hrtime.bigint();
      try {
        const appended = await this.events.append({
          stream: { aggregateType: definition.aggregateType, aggregateId },
          expectedVersion: current.version,
          events: decided,
          metadata: options.metadata,
          topic: definition.topic,
          occurredAt: options.occurredAt,
        });
        this.observer.onAppended?.(definition.aggregateType, decided.length, Number(process.hrtime.bigint() - started) / 1e9);
        const state = decided.reduce(definition.decider.evolve, current.state);
        await this.snapshotIfDue(definition, aggregateId, current.version, appended.nextVersion, state);
        return { version: appended.nextVersion, events: appended.events, state };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        this.observer.onConflict?.(definition.aggregateType, attempt);
        if (options.expectedVersion !== undefined) {
          throw new PreconditionFailedError(aggregateId, options.expectedVersion, error.actualVersion ?? current.version);
        }
        if (attempt >= this.maxAttempts) throw error;
        await sleep(Math.random() * 10 * attempt);
      }
    }
  }

  /** A snapshot is an optimisation: failing to write one must not fail a command that was committed. */
  private async snapshotIfDue<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    previousVersion: number,
    version: number,
    state: State,
  ): Promise<void> {
    const policy = definition.snapshots;
    if (!policy || Math.floor(previousVersion / policy.every) === Math.floor(version / policy.every)) return;
    try {
      await this.snapshots.save(definition.aggregateType, aggregateId, {
        sequence: version,
        stateVersion: policy.stateVersion,
        state,
      });
    } catch (error) {
      this.observer.onSnapshotFailed?.(definition.aggregateType, aggregateId, error);
    }
  }
}
