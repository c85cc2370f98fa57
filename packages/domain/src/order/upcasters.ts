import type { Upcaster } from '@scylla-es/es-core';
import { z } from 'zod';

// Version 1 of these events has snake_case field names (the legacy import's format). The upcasters only rename;
// the current schema (events.ts) validates the result and turns timestamps into Dates.

/**
 * A version-1 `OrderCreated` payload is only `{customer_id, items}`: neither the order id nor the creation time is
 * in it, and taking "now" as the creation time would change the order on every load. Both live in the legacy row's
 * `aggregate_id` and `timestamp` columns, and an upcaster only sees the payload, so the legacy import copies them
 * into it as `order_id` and `created_at`. Without them the event cannot be lifted without inventing data.
 */
const orderCreatedV1Schema = z.object({
  order_id: z.uuid({ error: 'legacy OrderCreated needs order_id (the legacy row aggregate_id)' }),
  created_at: z.string({ error: 'legacy OrderCreated needs created_at (the legacy row timestamp)' }),
  customer_id: z.string(),
  items: z.array(z.object({ product_id: z.string(), quantity: z.number() })),
});

const orderShippedV1Schema = z.object({
  tracking_number: z.string(),
  carrier: z.string(),
  shipped_at: z.string(),
});

export const orderCreatedV1ToV2: Upcaster = {
  eventType: 'OrderCreated',
  fromVersion: 1,
  upcast: (data) => {
    const v1 = orderCreatedV1Schema.parse(data);
    return {
      orderId: v1.order_id,
      customerId: v1.customer_id,
      items: v1.items.map((item) => ({ productId: item.product_id, quantity: item.quantity })),
      createdAt: v1.created_at,
    };
  },
};

export const orderShippedV1ToV2: Upcaster = {
  eventType: 'OrderShipped',
  fromVersion: 1,
  upcast: (data) => {
    const v1 = orderShippedV1Schema.parse(data);
    return { trackingNumber: v1.tracking_number, carrier: v1.carrier, shippedAt: v1.shipped_at };
  },
};

export const orderUpcasters: readonly Upcaster[] = [orderCreatedV1ToV2, orderShippedV1ToV2];
