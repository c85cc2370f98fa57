import type { OrderEvent } from '@scylla-es/domain';
import { projectionSpecification, streamOf } from '../testing/projection-specification';
import { projectOrderEvent } from './order-projection';
import { orderRowChanges } from './order-row-changes';
import { orderTotals } from './order-view';

const orderId = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const customerId = '0b7e6d5c-4f3a-4b2c-9d1e-0f1a2b3c4d5e';
const productA = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const productB = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const created = new Date('2025-03-01T09:00:00.000Z');
const confirmed = new Date('2025-03-01T10:00:00.000Z');
const shipped = new Date('2025-03-02T08:00:00.000Z');

const orderCreated: OrderEvent = {
  type: 'OrderCreated',
  data: { orderId, customerId, items: [{ productId: productA, quantity: 2 }], createdAt: created },
};
const itemsUpdated: OrderEvent = {
  type: 'OrderItemsUpdated',
  data: { items: [{ productId: productA, quantity: 1 }, { productId: productB, quantity: 5 }], updatedAt: new Date('2025-03-01T09:30:00.000Z') },
};
const orderConfirmed: OrderEvent = { type: 'OrderConfirmed', data: { confirmedAt: confirmed } };
const orderShipped: OrderEvent = { type: 'OrderShipped', data: { trackingNumber: 'TRACK-1', carrier: 'DHL', shippedAt: shipped } };
const orderCancelled: OrderEvent = {
  type: 'OrderCancelled',
  data: { reason: 'changed mind', cancelledBy: 'customer', cancelledAt: new Date('2025-03-01T11:00:00.000Z') },
};

const history = (...events: OrderEvent[]) => streamOf('Order', orderId, events);
/** The stream `history` continues: the last event is the one under test. */
const next = (...events: OrderEvent[]) => {
  const stream = history(...events);
  return { given: stream.slice(0, -1), when: stream[stream.length - 1]! };
};

const spec = projectionSpecification(projectOrderEvent);

describe('order read model', () => {
  it('given no history, when the order is created, then it is Created at version 1 and entered Created at its creation', () => {
    const { given, when } = next(orderCreated);
    spec.given(given).when(when).then({
      order: { id: orderId, customerId, status: 'Created', items: [{ productId: productA, quantity: 2 }], createdAt: created, updatedAt: created },
      version: 1,
      lastEventAt: when.occurredAt,
      statusEnteredAt: created,
    });
  });

  it('given a created order, when its items change, then items and totals follow and it stays where it entered Created', () => {
    const { given, when } = next(orderCreated, itemsUpdated);
    spec.given(given).when(when).then((view) => {
      expect(view.version).toBe(2);
      expect(view.statusEnteredAt).toEqual(created);
      expect(orderTotals(view.order)).toEqual({ itemCount: 2, totalQuantity: 6 });
    });
  });

  it('given a confirmed order, when it ships, then it is Shipped with its tracking, entered at the shipping time', () => {
    const { given, when } = next(orderCreated, orderConfirmed, orderShipped);
    spec.given(given).when(when).then({
      order: expect.objectContaining({ status: 'Shipped', trackingNumber: 'TRACK-1', carrier: 'DHL' }) as never,
      version: 3,
      statusEnteredAt: shipped,
    });
  });

  it('given a created order, when it is cancelled, then it keeps the reason and who cancelled it', () => {
    const { given, when } = next(orderCreated, orderCancelled);
    spec.given(given).when(when).then({
      order: expect.objectContaining({ status: 'Cancelled', cancellationReason: 'changed mind', cancelledBy: 'customer' }) as never,
    });
  });

  it('given no history, when anything but the creation arrives, then the history is corrupt', () => {
    const [confirmation] = streamOf('Order', orderId, [orderConfirmed]);
    spec.given([]).when(confirmation!).thenThrows(/never created/);
  });
});

describe('order index rows', () => {
  const [createdEvent, confirmedEvent, itemsEvent] = history(orderCreated, orderConfirmed, itemsUpdated);
  const createdView = projectOrderEvent(null, createdEvent!);

  it('a new order enters the status partition of its creation day and leaves none', () => {
    const changes = orderRowChanges(null, createdView);
    expect(changes.statusEntry).toEqual({ status: 'Created', day: '2025-03-01', enteredAt: created, orderId });
    expect(changes.leftStatusEntry).toBeUndefined();
  });

  it('a status change leaves the old status row and enters the new one', () => {
    const confirmedView = projectOrderEvent(createdView, confirmedEvent!);
    const changes = orderRowChanges(createdView, confirmedView);
    expect(changes.leftStatusEntry).toEqual({ status: 'Created', day: '2025-03-01', enteredAt: created, orderId });
    expect(changes.statusEntry).toEqual({ status: 'Confirmed', day: '2025-03-01', enteredAt: confirmed, orderId });
  });

  it('a change within the status rewrites the same status row', () => {
    const updatedView = projectOrderEvent(createdView, { ...itemsEvent!, sequence: 2 });
    const changes = orderRowChanges(createdView, updatedView);
    expect(changes.leftStatusEntry).toBeUndefined();
    expect(changes.statusEntry).toEqual(orderRowChanges(null, createdView).statusEntry);
  });
});
