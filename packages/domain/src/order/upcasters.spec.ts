import { EventUpcasting, replay } from '@scylla-es/es-core';
import { orderDecider } from './decider';
import { orderEventDefinitions, type OrderEvent } from './events';
import { orderCreatedV1ToV2, orderShippedV1ToV2, orderUpcasters } from './upcasters';
import { customerId, orderId, productA, productB } from './test-fixtures';

const upcasting = new EventUpcasting(orderEventDefinitions, orderUpcasters);

/** A version-1 OrderCreated payload, plus the row's aggregate_id and timestamp copied in by the import. */
const legacyOrderCreated = {
  order_id: orderId,
  created_at: '2024-01-15T10:30:00.123456789Z',
  customer_id: customerId,
  items: [
    { product_id: productA, quantity: 2 },
    { product_id: productB, quantity: 1 },
  ],
};

/** chrono serializes nanoseconds; JavaScript keeps milliseconds. */
const legacyOrderShipped = { tracking_number: '1Z999', carrier: 'FedEx', shipped_at: '2024-01-16T08:00:00.000000001Z' };

describe('Order upcasters', () => {
  it('register one upcaster per changed event type, from version 1', () => {
    expect(orderUpcasters.map(({ eventType, fromVersion }) => [eventType, fromVersion])).toEqual([
      ['OrderCreated', 1],
      ['OrderShipped', 1],
    ]);
  });

  it('lift a legacy snake_case OrderCreated to the camelCase version 2', () => {
    expect(upcasting.lift('OrderCreated', 1, legacyOrderCreated)).toEqual({
      orderId,
      customerId,
      items: [
        { productId: productA, quantity: 2 },
        { productId: productB, quantity: 1 },
      ],
      createdAt: new Date('2024-01-15T10:30:00.123Z'),
    });
  });

  it('lift a legacy snake_case OrderShipped to the camelCase version 2', () => {
    expect(upcasting.lift('OrderShipped', 1, legacyOrderShipped)).toEqual({
      trackingNumber: '1Z999',
      carrier: 'FedEx',
      shippedAt: new Date('2024-01-16T08:00:00.000Z'),
    });
  });

  it('refuse a legacy OrderCreated whose import did not add the order id and creation time', () => {
    const { order_id: _orderId, created_at: _createdAt, ...rustPayloadOnly } = legacyOrderCreated;
    expect(() => orderCreatedV1ToV2.upcast(rustPayloadOnly)).toThrow(/order_id/);
    expect(() => orderCreatedV1ToV2.upcast({ ...rustPayloadOnly, order_id: orderId })).toThrow(/created_at/);
  });

  it('refuse data that is not the legacy shape instead of passing it through', () => {
    expect(() => orderShippedV1ToV2.upcast({ trackingNumber: '1Z999', carrier: 'FedEx' })).toThrow();
  });

  it('leave current-version data as it is', () => {
    const current = { trackingNumber: 'T', carrier: 'UPS', shippedAt: '2025-01-01T00:00:00.000Z' };
    expect(upcasting.lift('OrderShipped', 2, current)).toEqual({ ...current, shippedAt: new Date(current.shippedAt) });
  });

  it('give a legacy order its real id and creation time on replay', () => {
    const created = { type: 'OrderCreated', data: upcasting.lift('OrderCreated', 1, legacyOrderCreated) } as OrderEvent;
    expect(replay(orderDecider, [created])).toMatchObject({
      id: orderId,
      createdAt: new Date('2024-01-15T10:30:00.123Z'),
      updatedAt: new Date('2024-01-15T10:30:00.123Z'),
    });
  });
});
