import type { Order, OrderStatus } from '@scylla-es/domain';
import { orderStatuses } from '@scylla-es/domain';
import type { types } from 'cassandra-driver';
import { z } from 'zod';
import type { OrderView } from './order-view';

const storedItemsSchema = z.array(z.object({ productId: z.string(), quantity: z.int() }));
const statusSchema = z.enum(orderStatuses);

/** The columns of order_read_model, read back into the view they were written from. */
export function orderViewFromRow(row: types.Row): OrderView {
  const optional = (column: string): string | undefined => (row.get(column) as string | null) ?? undefined;
  const order: Order = {
    id: row.get('order_id') as string,
    customerId: row.get('customer_id') as string,
    items: storedItemsSchema.parse(JSON.parse(row.get('items') as string)),
    status: statusSchema.parse(row.get('status')) as OrderStatus,
    createdAt: row.get('created_at') as Date,
    updatedAt: row.get('updated_at') as Date,
    ...withDefined({
      trackingNumber: optional('tracking_number'),
      carrier: optional('carrier'),
      signature: optional('signature'),
      cancellationReason: optional('cancellation_reason'),
      cancelledBy: optional('cancelled_by'),
    }),
  };
  return {
    order,
    version: (row.get('version') as types.Long).toNumber(),
    lastEventAt: row.get('last_event_at') as Date,
    statusEnteredAt: row.get('status_entered_at') as Date,
  };
}

/** Only the fields that have a value: a column that is null was never set by any event. */
function withDefined<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}
