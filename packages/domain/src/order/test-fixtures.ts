import type { CommandMetadata } from '../shared/command';
import type {
  OrderCancelled,
  OrderConfirmed,
  OrderCreated,
  OrderDelivered,
  OrderEvent,
  OrderItemsUpdated,
  OrderShipped,
} from './events';
import type { OrderStatus } from './state';

export const orderId = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
export const customerId = '0b7e6d5c-4f3a-4b2c-9d1e-0f1a2b3c4d5e';
export const productA = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const productB = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';

export const clock = {
  created: new Date('2025-03-01T09:00:00.000Z'),
  itemsUpdated: new Date('2025-03-01T09:30:00.000Z'),
  confirmed: new Date('2025-03-01T10:00:00.000Z'),
  shipped: new Date('2025-03-02T08:00:00.000Z'),
  delivered: new Date('2025-03-03T15:00:00.000Z'),
  cancelled: new Date('2025-03-01T11:00:00.000Z'),
  now: new Date('2025-03-04T12:00:00.000Z'),
};

export const at = (now: Date): CommandMetadata => ({ now });

export const orderCreated: OrderCreated = {
  type: 'OrderCreated',
  data: { orderId, customerId, items: [{ productId: productA, quantity: 2 }], createdAt: clock.created },
};

export const orderItemsUpdated: OrderItemsUpdated = {
  type: 'OrderItemsUpdated',
  data: {
    items: [
      { productId: productA, quantity: 1 },
      { productId: productB, quantity: 5 },
    ],
    reason: 'customer asked for more',
    updatedAt: clock.itemsUpdated,
  },
};

export const orderConfirmed: OrderConfirmed = { type: 'OrderConfirmed', data: { confirmedAt: clock.confirmed } };

export const orderShipped: OrderShipped = {
  type: 'OrderShipped',
  data: { trackingNumber: '1Z999AA10123456784', carrier: 'UPS', shippedAt: clock.shipped },
};

export const orderDelivered: OrderDelivered = {
  type: 'OrderDelivered',
  data: { deliveredAt: clock.delivered, signature: 'J. Doe' },
};

export const orderCancelled: OrderCancelled = {
  type: 'OrderCancelled',
  data: { reason: 'changed my mind', cancelledBy: 'customer', cancelledAt: clock.cancelled },
};

/** The shortest history that leaves an order in each status. */
export const historyOf: { readonly [Status in OrderStatus]: readonly OrderEvent[] } = {
  Created: [orderCreated],
  Confirmed: [orderCreated, orderConfirmed],
  Shipped: [orderCreated, orderConfirmed, orderShipped],
  Delivered: [orderCreated, orderConfirmed, orderShipped, orderDelivered],
  Cancelled: [orderCreated, orderCancelled],
};
