import { customerStatuses, customerTiers, paymentMethodTypes, type Customer } from '@scylla-es/domain';
import type { types } from 'cassandra-driver';
import { z } from 'zod';
import type { CustomerView } from './customer-view';

const storedAddressesSchema = z.array(
  z.object({
    id: z.string(),
    street: z.string(),
    city: z.string(),
    state: z.string(),
    postalCode: z.string(),
    country: z.string(),
    isDefault: z.boolean(),
  }),
);
const storedPaymentMethodsSchema = z.array(
  z.object({ id: z.string(), type: z.enum(paymentMethodTypes), lastFour: z.string(), isDefault: z.boolean() }),
);

/** The columns of customer_read_model, read back into the view they were written from; null before registration. */
export function customerViewFromRow(row: types.Row): CustomerView | null {
  const version = row.get('version') as types.Long | null;
  if (version === null) return null;
  const phone = row.get('phone') as string | null;
  const customer: Customer = {
    id: row.get('customer_id') as string,
    email: row.get('email') as string,
    firstName: row.get('first_name') as string,
    lastName: row.get('last_name') as string,
    ...(phone === null ? {} : { phone }),
    status: z.enum(customerStatuses).parse(row.get('status')),
    tier: z.enum(customerTiers).parse(row.get('tier')),
    addresses: storedAddressesSchema.parse(JSON.parse(row.get('addresses') as string)),
    paymentMethods: storedPaymentMethodsSchema.parse(JSON.parse(row.get('payment_methods') as string)),
    registeredAt: row.get('registered_at') as Date,
    updatedAt: row.get('updated_at') as Date,
  };
  return { customer, version: version.toNumber(), lastEventAt: row.get('last_event_at') as Date };
}

/** The number of orders kept beside the customer: 0 until the order stream recounted it. */
export function orderCountFromRow(row: types.Row): number {
  return (row.get('order_count') as number | null) ?? 0;
}
