import type { Order } from '@scylla-es/domain';

/**
 * One order as its read model keeps it: the order the domain replays from the same events, the stream version
 * it reflects, when its last event occurred and when it entered its current status (the key of its
 * orders_by_status row, so the row can be found again when the order moves on).
 */
export interface OrderView {
  readonly order: Order;
  readonly version: number;
  readonly lastEventAt: Date;
  readonly statusEnteredAt: Date;
}

/** Totals of an order: the domain has no prices, so they are the number of lines and of units. */
export interface OrderTotals {
  readonly itemCount: number;
  readonly totalQuantity: number;
}

export function orderTotals(order: Order): OrderTotals {
  return {
    itemCount: order.items.length,
    totalQuantity: order.items.reduce((sum, item) => sum + item.quantity, 0),
  };
}
