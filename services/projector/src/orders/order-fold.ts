import type { RecordedEvent } from '@scylla-es/es-core';
import { foldWhileProjectable, type FoldStop, type ViewStep } from '../projection/fold';
import { projectOrderEvent } from './order-projection';
import { orderRowChanges, type StatusEntryKey } from './order-row-changes';
import type { OrderView } from './order-view';

/** An order after several events, with every status entry it held on the way and those it left (and at which event). */
export interface FoldedOrder {
  readonly view: OrderView;
  readonly visited: readonly StatusEntryKey[];
  readonly left: readonly { readonly entry: StatusEntryKey; readonly sequence: number }[];
  /** The last event folded. */
  readonly last: RecordedEvent;
  /** Events folded. */
  readonly count: number;
}

/** A day of a status that has orders: a row of order_status_days. */
export interface StatusDay {
  readonly status: string;
  readonly day: string;
}

/** What writing the steps at once must leave in the order tables, as writing them one by one would have. */
export function foldedOrderOf(steps: readonly ViewStep<OrderView>[]): FoldedOrder | undefined {
  const last = steps.at(-1);
  if (!last) return undefined;
  const visited: StatusEntryKey[] = [];
  const left: { entry: StatusEntryKey; sequence: number }[] = [];
  for (const { before, after, event } of steps) {
    const changes = orderRowChanges(before, after);
    visited.push(changes.statusEntry);
    if (changes.leftStatusEntry) left.push({ entry: changes.leftStatusEntry, sequence: event.sequence });
  }
  return { view: last.after, visited, left, last: last.event, count: steps.length };
}

/** The order after the events it can take, folded from its first event as the live path applies them one by one. */
export function foldOrder(events: readonly RecordedEvent[]): { folded?: FoldedOrder; stoppedAt?: FoldStop } {
  const { steps, stoppedAt } = foldWhileProjectable<OrderView>(events, projectOrderEvent);
  const folded = foldedOrderOf(steps);
  return { ...(folded ? { folded } : {}), ...(stoppedAt ? { stoppedAt } : {}) };
}

/** The distinct status days of the entries an order visited. */
export function statusDaysOf(visited: readonly StatusEntryKey[]): StatusDay[] {
  const days = new Map(visited.map(({ status, day }) => [statusDayKey({ status, day }), { status, day }]));
  return [...days.values()];
}

export const statusDayKey = ({ status, day }: StatusDay): string => `${status}/${day}`;
