import { customerAggregateType, orderAggregateType } from '@scylla-es/domain';
import type { Copy } from './copy';

/** The projections that are rebuilt as a whole: each owns its tables in both copies. */
export const PROJECTIONS = ['orders', 'customers'] as const;
export type ProjectionName = (typeof PROJECTIONS)[number];

const PROJECTION_OF_AGGREGATE: ReadonlyMap<string, ProjectionName> = new Map([
  [orderAggregateType, 'orders'],
  [customerAggregateType, 'customers'],
]);

export const projectionOfAggregate = (aggregateType: string): ProjectionName | undefined => PROJECTION_OF_AGGREGATE.get(aggregateType);
export const aggregateTypeOf = (projection: ProjectionName): string => (projection === 'orders' ? orderAggregateType : customerAggregateType);

/**
 * Where a projection stands (docs/projector.md, "Rebuild"):
 * - `idle`: no rebuild; events go to the active copy.
 * - `clearing`: a rebuild was claimed; once no instance can still be writing the other copy, it is truncated.
 * - `filling`: events go to both copies; once every instance does so, event_store is scanned into the other copy.
 * - `draining`: the copies swapped (queries read the rebuilt one), events still go to both.
 * - `dropping`: events go to the active copy only; once every instance knows, the other copy is truncated.
 */
export const PHASES = ['idle', 'clearing', 'filling', 'draining', 'dropping'] as const;
export type Phase = (typeof PHASES)[number];

export interface ProjectionCopies {
  readonly projection: ProjectionName;
  readonly active: Copy;
  /** The copy being cleared, filled, drained or dropped; the inactive one. */
  readonly other: Copy;
  readonly phase: Phase;
  readonly rebuild?: RebuildClaim;
}

export interface RebuildClaim {
  readonly id: string;
  readonly requestedAt: Date;
  /** When the current phase began: its waits count from here, whichever instance drives it. */
  readonly phaseSince: Date;
  /** Ranges the scan of event_store is split into, fixed when it was claimed so a resume finds its ranges. */
  readonly rangeCount: number;
  readonly leaseOwner?: string;
  readonly leaseUntil?: Date;
}

/** The copies live events must be written to in this phase: both while one is filled or drained. */
export function writtenCopies(copies: ProjectionCopies): readonly Copy[] {
  return copies.phase === 'filling' || copies.phase === 'draining' ? [copies.active, copies.other] : [copies.active];
}

/** A rebuild can be cancelled until the copies swap; after that it finishes. */
export const cancellable = (phase: Phase): boolean => phase === 'clearing' || phase === 'filling';

/** The phase after `phase` on a rebuild's way; a swap of the copies goes with `draining`. */
export function nextPhase(phase: Exclude<Phase, 'idle'>): Phase {
  const order: readonly Phase[] = ['clearing', 'filling', 'draining', 'dropping', 'idle'];
  return order[order.indexOf(phase) + 1] as Phase;
}
