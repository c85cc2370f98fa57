import { orderSnapshotSchema } from '@scylla-es/domain';
import type { types } from 'cassandra-driver';
import type { OrderView } from './order-view';

const OPTIONAL_COLUMNS = {
  trackingNumber: 'tracking_number',
  carrier: 'carrier',
  signature: 'signature',
  cancellationReason: 'cancellation_reason',
  cancelledBy: 'cancelled_by',
} as const;

/**
 * The columns of order_read_model, read back into the view they were written from. The domain's snapshot schema
 * validates the order, as it does for a snapshot of the same state; a null column was never set by any event.
 */
export function orderViewFromRow(row: types.Row): OrderView {
  const optional = Object.entries(OPTIONAL_COLUMNS).flatMap(([field, column]) => {
    const value = row.get(column) as string | null;
    return value === null ? [] : [[field, value]];
  });
  const order = orderSnapshotSchema.parse({
    id: row.get('order_id'),
    customerId: row.get('customer_id'),
    items: JSON.parse(row.get('items') as string),
    status: row.get('status'),
    createdAt: row.get('created_at'),
    updatedAt: row.get('updated_at'),
    ...Object.fromEntries(optional),
  });
  if (order === null) throw new Error(`order row ${String(row.get('order_id'))} holds no order`);
  return {
    order,
    version: (row.get('version') as types.Long).toNumber(),
    lastEventAt: row.get('last_event_at') as Date,
    statusEnteredAt: row.get('status_entered_at') as Date,
  };
}
