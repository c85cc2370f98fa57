import { customerSnapshotSchema } from '@scylla-es/domain';
import type { types } from 'cassandra-driver';
import type { CustomerView } from './customer-view';

/**
 * The columns of customer_read_model, read back into the view they were written from; null before the customer
 * registered. The domain's snapshot schema validates the customer, as it does for a snapshot of the same state.
 */
export function customerViewFromRow(row: types.Row): CustomerView | null {
  const version = row.get('version') as types.Long | null;
  if (version === null) return null;
  const phone = row.get('phone') as string | null;
  const customer = customerSnapshotSchema.parse({
    id: row.get('customer_id'),
    email: row.get('email'),
    firstName: row.get('first_name'),
    lastName: row.get('last_name'),
    ...(phone === null ? {} : { phone }),
    status: row.get('status'),
    tier: row.get('tier'),
    addresses: JSON.parse(row.get('addresses') as string),
    paymentMethods: JSON.parse(row.get('payment_methods') as string),
    registeredAt: row.get('registered_at'),
    updatedAt: row.get('updated_at'),
  });
  if (customer === null) throw new Error(`customer row ${String(row.get('customer_id'))} holds no customer`);
  return { customer, version: version.toNumber(), lastEventAt: row.get('last_event_at') as Date };
}

/** The number of orders kept beside the customer: 0 until the order stream recounted it. */
export function orderCountFromRow(row: types.Row): number {
  return (row.get('order_count') as number | null) ?? 0;
}
