import type { RecordedEvent } from '@scylla-es/es-core';
import type { ScannedStream } from '@scylla-es/es-core/cql';
import { projectCustomerEvent } from '../customers/customer-projection';
import { projectOrderEvent } from '../orders/order-projection';
import { orderRowChanges, type StatusEntryKey } from '../orders/order-row-changes';
import type { FoldedOrder } from '../orders/order-tables';
import type { OrderView } from '../orders/order-view';
import type { CopyTables } from '../projection/read-models';
import type { ProjectionName } from '../copies/projection-copies';

/** What a rebuild wrote of one aggregate: its events folded, and the event it stopped before, if any. */
export interface SunkStream {
  readonly folded: number;
  readonly stoppedAt?: { readonly sequence: number; readonly error: unknown };
}

/**
 * The one place a rebuild applies an aggregate's events to the copy it fills: the whole stream as scanned from
 * event_store is folded in memory and written once, with the last event's sequence as the write timestamp, so it
 * lands exactly as the live path would have left the aggregate after that event (docs/projector.md, "Rebuild").
 * An event the projection cannot apply (a poison event, parked on the live path) ends the fold: the copy keeps
 * the aggregate as it was before it, as the live path does, and the rebuild goes on with the next aggregate.
 */
export type RebuildSink = (stream: ScannedStream) => Promise<SunkStream>;

export function rebuildSink(projection: ProjectionName, tables: CopyTables): RebuildSink {
  return projection === 'orders'
    ? async ({ events }) => {
        const { folded, stoppedAt } = foldOrder(events);
        if (folded) await tables.orders.saveFolded(folded, events[folded.count - 1] as RecordedEvent);
        return { folded: folded?.count ?? 0, ...(stoppedAt ? { stoppedAt } : {}) };
      }
    : async ({ events }) => {
        const { view, count, stoppedAt } = foldWhileProjectable(events, projectCustomerEvent);
        if (view) await tables.customers.save(null, view, events[count - 1] as RecordedEvent);
        return { folded: count, ...(stoppedAt ? { stoppedAt } : {}) };
      };
}

/** Folds events while `project` accepts them; where it throws, the fold stops before that event. */
function foldWhileProjectable<View>(
  events: readonly RecordedEvent[],
  project: (current: View | null, event: RecordedEvent) => View,
  onApplied: (before: View | null, after: View, event: RecordedEvent) => void = () => undefined,
): { view: View | null; count: number; stoppedAt?: SunkStream['stoppedAt'] } {
  let view: View | null = null;
  let count = 0;
  for (const event of events) {
    let next: View;
    try {
      next = project(view, event);
    } catch (error) {
      return { view, count, stoppedAt: { sequence: event.sequence, error } };
    }
    onApplied(view, next, event);
    view = next;
    count += 1;
  }
  return { view, count };
}

/** The order after the events it can take, folded as the live path applies them one by one. */
export function foldOrder(events: readonly RecordedEvent[]): { folded?: FoldedOrder & { count: number }; stoppedAt?: SunkStream['stoppedAt'] } {
  const visited: StatusEntryKey[] = [];
  const left: { entry: StatusEntryKey; sequence: number }[] = [];
  const { view, count, stoppedAt } = foldWhileProjectable<OrderView>(events, projectOrderEvent, (before, after, event) => {
    const changes = orderRowChanges(before, after);
    visited.push(changes.statusEntry);
    if (changes.leftStatusEntry) left.push({ entry: changes.leftStatusEntry, sequence: event.sequence });
  });
  return { ...(view ? { folded: { view, visited, left, count } } : {}), ...(stoppedAt ? { stoppedAt } : {}) };
}
