import { setTimeout as sleep } from 'node:timers/promises';
import type { EventMetadata, RecordedEvent } from '../envelope/event-envelope';
import type { EventStore } from '../ports/event-store';
import type { SnapshotStore } from '../ports/snapshot-store';
import { ConcurrencyConflictError, PreconditionFailedError } from '../errors/store-errors';
import type { AggregateDefinition } from './aggregate-definition';
import type { AggregateStateCache, VersionedState } from './aggregate-state-cache';
import type { DomainEvent } from './decider';

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
  /** `willRetry`: the command is decided again on the newer state (not the last attempt, no If-Match). */
  onConflict?(aggregateType: string, attempt: number, willRetry: boolean): void;
  onAppended?(aggregateType: string, eventCount: number, seconds: number): void;
  onSnapshotFailed?(aggregateType: string, aggregateId: string, error: unknown): void;
}

/**
 * How a command treats the state this process already holds for its aggregate:
 * - `optimistic`: decide on it without reading the store. The append is conditional on the held version, so it
 *   is accepted only if the held state IS the current one; a newer event makes it a conflict, and the command is
 *   decided again on the reloaded state. A refusal or a no-op decided on a held state is judged again on the
 *   store's state too, since only an accepted append proves a held state current. One round trip per command
 *   whenever an aggregate's commands reach the same process (route them by aggregate id to keep it so).
 * - `verified`: read the events after the held state before every decision: one read more per command, but no
 *   failed conditional append when other processes write the same aggregates.
 */
export type HeldStateMode = 'optimistic' | 'verified';

export interface CommandHandlerOptions {
  /** Attempts at load → decide → append when another writer wins the race. */
  readonly maxAttempts?: number;
  readonly observer?: CommandHandlerObserver;
  /** States kept in memory between commands and loads; a load then reads only the events after them. */
  readonly states?: { readonly cache: AggregateStateCache; readonly mode: HeldStateMode };
}

interface Decision<Event, State> {
  readonly current: VersionedState<State>;
  readonly decided: readonly Event[];
}

/**
 * Load (held state or snapshot, + tail) → decide → append with the loaded version as the condition. A lost
 * race reloads and decides again on the newer state, a bounded number of times; the decider therefore always
 * judges the command against the state its events will follow.
 */
export class CommandHandler {
  private readonly maxAttempts: number;
  private readonly observer: CommandHandlerObserver;
  private readonly states: CommandHandlerOptions['states'];

  constructor(
    private readonly events: EventStore,
    private readonly snapshots: SnapshotStore,
    options: CommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.observer = options.observer ?? {};
    this.states = options.states;
  }

  async load<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    options: LoadOptions = {},
  ): Promise<VersionedState<State>> {
    const { decider, snapshots: policy } = definition;
    let state = decider.initialState();
    let version = 0;
    // Neither a held state nor a snapshot says when its events occurred, so a load "as of" an instant replays fully.
    const held = options.asOf ? undefined : this.states?.cache.get<State>(definition.aggregateType, aggregateId);
    if (held && held.version <= (options.toSequence ?? Number.MAX_SAFE_INTEGER)) {
      ({ state, version } = held);
    } else if (policy && !options.asOf) {
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
    // Only the head is worth keeping: a past state would only be superseded.
    if (options.toSequence === undefined && options.asOf === undefined) this.hold(definition, aggregateId, { state, version });
    return { state, version };
  }

  async handle<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    command: Command,
    options: HandleOptions,
  ): Promise<HandleResult<State>> {
    for (let attempt = 1; ; attempt++) {
      const { current, decided } = await this.decide(definition, aggregateId, command, options.expectedVersion, attempt === 1);
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
        this.hold(definition, aggregateId, { state, version: appended.nextVersion });
        await this.snapshotIfDue(definition, aggregateId, current.version, appended.nextVersion, state);
        return { version: appended.nextVersion, events: appended.events, state };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        const willRetry = options.expectedVersion === undefined && attempt < this.maxAttempts;
        this.observer.onConflict?.(definition.aggregateType, attempt, willRetry);
        if (options.expectedVersion !== undefined) {
          throw new PreconditionFailedError(aggregateId, options.expectedVersion, error.actualVersion ?? current.version);
        }
        if (!willRetry) throw error;
        await sleep(Math.random() * 10 * attempt);
      }
    }
  }

  /**
   * The decision and the state it was made on. A held state is used as it is (optimistic mode, first attempt)
   * only when the decider appends something on it; otherwise, or without one, the state is loaded.
   */
  private async decide<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    command: Command,
    expectedVersion: number | undefined,
    firstAttempt: boolean,
  ): Promise<Decision<Event, State>> {
    const held = firstAttempt && this.states?.mode === 'optimistic' ? this.states.cache.get<State>(definition.aggregateType, aggregateId) : undefined;
    if (held && (expectedVersion === undefined || expectedVersion === held.version)) {
      try {
        const decided = definition.decider.decide(command, held.state);
        if (decided.length > 0) return { current: held, decided };
      } catch {
        // Not an answer yet: the held state may be behind the store. The load below decides again and rethrows.
      }
    }
    const current = await this.load(definition, aggregateId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new PreconditionFailedError(aggregateId, expectedVersion, current.version);
    }
    return { current, decided: definition.decider.decide(command, current.state) };
  }

  /** Keeps a head state in memory; "no such aggregate yet" is never kept, so unknown ids cannot fill the cache. */
  private hold<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    current: VersionedState<State>,
  ): void {
    if (this.states && current.version > 0) this.states.cache.remember(definition.aggregateType, aggregateId, current);
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
