import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@scylla-es/es-core';

/** Every shape an order's life can take, so a load covers each status move and cancellation. */
export const ORDER_PATHS = [
  ['created'],
  ['created', 'updated'],
  ['created', 'confirmed'],
  ['created', 'confirmed', 'shipped'],
  ['created', 'confirmed', 'shipped', 'delivered'],
  ['created', 'cancelled'],
  ['created', 'updated', 'confirmed', 'cancelled'],
  ['created', 'confirmed', 'shipped', 'cancelled'],
] as const;

export type OrderStep = (typeof ORDER_PATHS)[number][number];

export function customerRegistered(customerId: string, at = new Date()): NewEvent {
  return {
    type: 'CustomerRegistered',
    data: { customerId, email: `${customerId}@example.com`, firstName: 'Ada', lastName: 'Lovelace', registeredAt: at },
  };
}

export function customerLife(customerId: string, at = new Date()): NewEvent[] {
  return [
    customerRegistered(customerId, at),
    {
      type: 'CustomerAddressAdded',
      data: {
        addressId: randomUUID(),
        address: { street: '1 Analytical Way', city: 'London', state: 'LDN', postalCode: 'N1', country: 'GB' },
        isDefault: true,
        addedAt: at,
      },
    },
    { type: 'CustomerTierUpgraded', data: { oldTier: 'Bronze', newTier: 'Silver', upgradedAt: at } },
  ];
}

/** The events of an order walking `steps`, one millisecond apart so status entries are ordered. */
export function orderLife(orderId: string, customerId: string, steps: readonly OrderStep[], start = new Date()): NewEvent[] {
  return steps.map((step, index): NewEvent => {
    const at = new Date(start.getTime() + index);
    switch (step) {
      case 'created':
        return { type: 'OrderCreated', data: { orderId, customerId, items: [{ productId: randomUUID(), quantity: 2 }], createdAt: at } };
      case 'updated':
        return { type: 'OrderItemsUpdated', data: { items: [{ productId: randomUUID(), quantity: 3 }, { productId: randomUUID(), quantity: 1 }], updatedAt: at } };
      case 'confirmed':
        return { type: 'OrderConfirmed', data: { confirmedAt: at } };
      case 'shipped':
        return { type: 'OrderShipped', data: { trackingNumber: `T-${index}`, carrier: 'DHL', shippedAt: at } };
      case 'delivered':
        return { type: 'OrderDelivered', data: { deliveredAt: at, signature: 'A. Lovelace' } };
      case 'cancelled':
        return { type: 'OrderCancelled', data: { reason: 'changed mind', cancelledBy: 'customer', cancelledAt: at } };
    }
  });
}
