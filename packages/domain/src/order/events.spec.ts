import { EventUpcasting, replay } from '@scylla-es/es-core';
import { orderDecider } from './decider';
import { orderEventDefinitions, type OrderEvent, type OrderEventType } from './events';
import { orderUpcasters } from './upcasters';
import { historyOf, orderCancelled, orderItemsUpdated } from './test-fixtures';

const allEventTypes: OrderEventType[] = [
  'OrderCreated',
  'OrderItemsUpdated',
  'OrderConfirmed',
  'OrderShipped',
  'OrderDelivered',
  'OrderCancelled',
];

/** What the store does: validate at the current version, write JSON, read it back and lift it. */
function throughTheStore(event: OrderEvent): OrderEvent {
  const upcasting = new EventUpcasting(orderEventDefinitions, orderUpcasters);
  const written = JSON.stringify(upcasting.validateCurrent(event.type, event.data));
  const data = upcasting.lift(event.type, upcasting.currentVersion(event.type), JSON.parse(written));
  return { type: event.type, data } as OrderEvent;
}

describe('Order event definitions', () => {
  it('define every event type exactly once', () => {
    expect(orderEventDefinitions.map((definition) => definition.type).sort()).toEqual([...allEventTypes].sort());
  });

  it('write OrderCreated and OrderShipped at version 2 (version 1 is the legacy snake_case) and the rest at 1', () => {
    const versions = Object.fromEntries(orderEventDefinitions.map(({ type, schemaVersion }) => [type, schemaVersion]));
    expect(versions).toEqual({
      OrderCreated: 2,
      OrderItemsUpdated: 1,
      OrderConfirmed: 1,
      OrderShipped: 2,
      OrderDelivered: 1,
      OrderCancelled: 1,
    });
  });

  it('survive a JSON round trip through the store unchanged, dates included', () => {
    const events = [...historyOf.Delivered, orderItemsUpdated, orderCancelled];
    for (const event of events) expect(throughTheStore(event)).toEqual(event);
  });

  it('rebuild the same order from events read back from the store', () => {
    const stored = historyOf.Delivered.map(throughTheStore);
    expect(replay(orderDecider, stored)).toEqual(replay(orderDecider, historyOf.Delivered));
  });

  it('refuse to write malformed data', () => {
    const upcasting = new EventUpcasting(orderEventDefinitions, orderUpcasters);
    expect(() => upcasting.validateCurrent('OrderShipped', { trackingNumber: 'T', shippedAt: 'yesterday' })).toThrow();
    expect(() => upcasting.validateCurrent('OrderCreated', { orderId: 'x', customerId: 'y', items: [] })).toThrow();
  });
});
