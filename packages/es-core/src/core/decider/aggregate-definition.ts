import type { z } from 'zod';
import type { EventUpcasting } from '../upcasting/upcasting';
import type { Decider, DomainEvent } from './decider';

export interface SnapshotPolicy<State> {
  /** Take a snapshot whenever the version crosses a multiple of this. */
  readonly every: number;
  /** Bump when the state's shape changes: older snapshots are then ignored and the state is replayed. */
  readonly stateVersion: number;
  /** Validates JSON read back from a snapshot and restores rich types (dates). */
  readonly schema: z.ZodType<State>;
}

/** Everything the generic command handler and store need to know about one kind of aggregate. */
export interface AggregateDefinition<Command, Event extends DomainEvent, State> {
  readonly aggregateType: string;
  readonly topic: string;
  readonly decider: Decider<Command, Event, State>;
  readonly events: EventUpcasting;
  /** Whether a state is the "no such aggregate yet" state. */
  readonly exists: (state: State) => boolean;
  readonly snapshots?: SnapshotPolicy<State>;
}
