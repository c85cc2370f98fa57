import type { RecordedEvent } from '@scylla-es/es-core';
import type { ScannedStream } from '@scylla-es/es-core/cql';
import { projectCustomerEvent } from '../customers/customer-projection';
import type { CustomerView } from '../customers/customer-view';
import { projectOrderEvent } from '../orders/order-projection';
import { orderRowChanges, type StatusEntryKey } from '../orders/order-row-changes';
import type { FoldedOrder } from '../orders/order-tables';
import type { OrderView } from '../orders/order-view';
import type { CopyTables } from '../projection/read-models';
import type { ProjectionName } from '../copies/projection-copies';

/**
 * The one place a rebuild applies an aggregate's events to the copy it fills: the whole stream as scanned from
 * event_store is folded in memory and written once, with the last event's sequence as the write timestamp, so it
 * lands exactly as the live path would have left the aggregate after that event (docs/projector.md, "Rebuild").
 */
export type RebuildSink = (stream: ScannedStream) => Promise<void>;

export function rebuildSink(projection: ProjectionName, tables: CopyTables): RebuildSink {
  return projection === 'orders'
    ? async ({ events }) => {
        await tables.orders.saveFolded(foldOrder(events), lastOf(events));
      }
    : async ({ events }) => {
        const view = events.reduce<CustomerView | null>((current, event) => projectCustomerEvent(current, event), null);
        if (view) await tables.customers.save(null, view, lastOf(events));
      };
}

/** The order after all its events, folded as the live path applies them one by one. */
export function foldOrder(events: readonly RecordedEvent[]): FoldedOrder {
  let view: OrderView | null = null;
  const visited: StatusEntryKey[] = [];
  const left: { entry: StatusEntryKey; sequence: number }[] = [];
  for (const event of events) {
    const next = projectOrderEvent(view, event);
    const changes = orderRowChanges(view, next);
    visited.push(changes.statusEntry);
    if (changes.leftStatusEntry) left.push({ entry: changes.leftStatusEntry, sequence: event.sequence });
    view = next;
  }
  if (!view) throw new Error('an order stream without events');
  return { view, visited, left };
}

function lastOf(events: readonly RecordedEvent[]): RecordedEvent {
  const last = events.at(-1);
  if (!last) throw new Error('a scanned stream without events');
  return last;
}
