import type { EventMetadata, HandleOptions } from '@scylla-es/es-core';

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

/** The command handler's options for one request. */
export const handleOptionsOf = (context: CommandContext): HandleOptions => ({
  metadata: context.metadata,
  occurredAt: context.now,
  ...(context.expectedVersion === undefined ? {} : { expectedVersion: context.expectedVersion }),
});

export const outcomeOf = (aggregateId: string, result: { readonly version: number }): CommandOutcome => ({
  id: aggregateId,
  version: result.version,
});
