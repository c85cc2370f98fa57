import {
  CommandHandler,
  type AggregateDefinition,
  type CqlEventStore,
  type DomainEvent,
  type EventMetadata,
  type HandleResult,
  type LoadedAggregate,
  type LoadOptions,
  type Logger,
} from '@scylla-es/es-core';
import type { CachedSnapshots } from './cached-snapshots';
import { commandObserver, type CommandMetrics } from './command-metrics';

/** Who and when, for one request: becomes the events' metadata and the decider's clock. */
export interface CommandContext {
  readonly metadata: EventMetadata;
  readonly now: Date;
  /** From If-Match: the append is conditional on exactly this version (412 otherwise, never retried). */
  readonly expectedVersion?: number;
}

/** What every mutation answers. */
export interface CommandOutcome {
  readonly id: string;
  readonly version: number;
}

export interface CommandRunnerDependencies {
  readonly events: CqlEventStore;
  /** Per aggregate type: that type's snapshot store with its in-memory recent states. */
  readonly snapshotsFor: (aggregateType: string) => CachedSnapshots;
  readonly metrics: CommandMetrics;
  readonly logger: Logger;
  readonly maxAttempts: number;
}

/**
 * es-core's command handler with this service's metrics. The handler is a few fields, so each command gets its
 * own, whose observer knows whether the request pinned a version (then a conflict is a 412, not a retry).
 */
export class CommandRunner {
  constructor(private readonly deps: CommandRunnerDependencies) {}

  async execute<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    command: Command,
    context: CommandContext,
  ): Promise<HandleResult<State>> {
    const { events, metrics, logger, maxAttempts } = this.deps;
    const snapshots = this.deps.snapshotsFor(definition.aggregateType);
    const handler = new CommandHandler(events, snapshots, {
      maxAttempts,
      observer: commandObserver(metrics, logger, maxAttempts, context.expectedVersion !== undefined),
    });
    const result = await handler.handle(definition, aggregateId, command, {
      metadata: context.metadata,
      occurredAt: context.now,
      ...(context.expectedVersion === undefined ? {} : { expectedVersion: context.expectedVersion }),
    });
    this.remember(definition, aggregateId, result);
    return result;
  }

  async load<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    options: LoadOptions = {},
  ): Promise<LoadedAggregate<State>> {
    const loaded = await new CommandHandler(this.deps.events, this.deps.snapshotsFor(definition.aggregateType)).load(
      definition,
      aggregateId,
      options,
    );
    // Only the head is worth keeping: a past state (time travel) would only be superseded.
    if (options.toSequence === undefined && options.asOf === undefined) this.remember(definition, aggregateId, loaded);
    return loaded;
  }

  private remember<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    { state, version }: { readonly state: State; readonly version: number },
  ): void {
    const policy = definition.snapshots;
    if (!policy || version === 0 || !definition.exists(state)) return;
    this.deps.snapshotsFor(definition.aggregateType).remember(aggregateId, { sequence: version, stateVersion: policy.stateVersion, state });
  }
}

export const outcomeOf = (aggregateId: string, result: { readonly version: number }): CommandOutcome => ({
  id: aggregateId,
  version: result.version,
});
