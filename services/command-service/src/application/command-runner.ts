import {
  CommandHandler,
  type AggregateDefinition,
  type AggregateStateCache,
  type DomainEvent,
  type EventMetadata,
  type HandleResult,
  type HeldStateMode,
  type LoadOptions,
  type Logger,
  type VersionedState,
} from '@scylla-es/es-core';
import type { CqlEventStore, CqlSnapshotStore } from '@scylla-es/es-core/cql';
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
  readonly snapshots: CqlSnapshotStore;
  /** Recently used aggregate states, shared by commands and queries, and how far commands trust them. */
  readonly states: { readonly cache: AggregateStateCache; readonly mode: HeldStateMode };
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
    const { events, snapshots, states, metrics, logger, maxAttempts } = this.deps;
    const handler = new CommandHandler(events, snapshots, {
      maxAttempts,
      states,
      observer: commandObserver(metrics, logger, maxAttempts, context.expectedVersion !== undefined),
    });
    return handler.handle(definition, aggregateId, command, {
      metadata: context.metadata,
      occurredAt: context.now,
      ...(context.expectedVersion === undefined ? {} : { expectedVersion: context.expectedVersion }),
    });
  }

  load<Command, Event extends DomainEvent, State>(
    definition: AggregateDefinition<Command, Event, State>,
    aggregateId: string,
    options: LoadOptions = {},
  ): Promise<VersionedState<State>> {
    const { events, snapshots, states } = this.deps;
    return new CommandHandler(events, snapshots, { states }).load(definition, aggregateId, options);
  }
}

export const outcomeOf = (aggregateId: string, result: { readonly version: number }): CommandOutcome => ({
  id: aggregateId,
  version: result.version,
});
