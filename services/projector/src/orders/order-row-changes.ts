import { statusDayOf } from './status-day';
import type { OrderView } from './order-view';

/** The key of an order's row in orders_by_status. */
export interface StatusEntryKey {
  readonly status: string;
  readonly day: string;
  readonly enteredAt: Date;
  readonly orderId: string;
}

/** What one event changes in the order tables besides the order row itself, which is always rewritten. */
export interface OrderRowChanges {
  readonly view: OrderView;
  /** The orders_by_status row to write (its key may be new). */
  readonly statusEntry: StatusEntryKey;
  /** The row the order leaves, when its status changed; deleted in the same logged batch. */
  readonly leftStatusEntry?: StatusEntryKey;
}

export function statusEntryOf(view: OrderView): StatusEntryKey {
  return {
    status: view.order.status,
    day: statusDayOf(view.statusEnteredAt),
    enteredAt: view.statusEnteredAt,
    orderId: view.order.id,
  };
}

/** Which index rows move when the order goes from `before` to `after`. */
export function orderRowChanges(before: OrderView | null, after: OrderView): OrderRowChanges {
  const statusEntry = statusEntryOf(after);
  if (before === null) return { view: after, statusEntry };
  const leftEntry = statusEntryOf(before);
  const moved = leftEntry.status !== statusEntry.status || leftEntry.enteredAt.getTime() !== statusEntry.enteredAt.getTime();
  return moved ? { view: after, statusEntry, leftStatusEntry: leftEntry } : { view: after, statusEntry };
}
