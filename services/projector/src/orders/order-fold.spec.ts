import type { OrderEvent } from '@scylla-es/domain';
import { streamOf } from '../testing/projection-specification';
import { projectOrderEvent } from '../orders/order-projection';
import { foldOrder } from '../orders/order-fold';

const orderId = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const customerId = '0b7e6d5c-4f3a-4b2c-9d1e-0f1a2b3c4d5e';
const created = new Date('2025-03-01T23:30:00.000Z');
const confirmed = new Date('2025-03-02T00:10:00.000Z');

const history: OrderEvent[] = [
  { type: 'OrderCreated', data: { orderId, customerId, items: [{ productId: orderId, quantity: 2 }], createdAt: created } },
  { type: 'OrderItemsUpdated', data: { items: [{ productId: orderId, quantity: 3 }], updatedAt: new Date('2025-03-01T23:40:00.000Z') } },
  { type: 'OrderConfirmed', data: { confirmedAt: confirmed } },
];
const events = streamOf('Order', orderId, history);

describe('folding an order over several events', () => {
  it('given a whole stream, then the view is the one the live path reaches event by event', () => {
    const live = events.reduce<ReturnType<typeof projectOrderEvent> | null>((view, event) => projectOrderEvent(view, event), null);
    expect(foldOrder(events).folded?.view).toEqual(live);
  });

  it('given a status change, then the entry left is deleted at the sequence of the event that left it, and both days are kept', () => {
    const { folded } = foldOrder(events);
    expect(folded?.left).toEqual([{ entry: { status: 'Created', day: '2025-03-01', enteredAt: created, orderId }, sequence: 3 }]);
    expect(new Set((folded?.visited ?? []).map((entry) => `${entry.status}/${entry.day}`))).toEqual(new Set(['Created/2025-03-01', 'Confirmed/2025-03-02']));
  });

  it('given an event the projection cannot apply, then the fold stops before it and says where', () => {
    const poisoned = [...events.slice(0, 2), { ...events[2]!, type: 'OrderTeleported' }, events[2]!];
    const { folded, stoppedAt } = foldOrder(poisoned);
    expect(folded?.count).toBe(2);
    expect(folded?.view).toEqual(events.slice(0, 2).reduce<ReturnType<typeof projectOrderEvent> | null>((view, event) => projectOrderEvent(view, event), null));
    expect(stoppedAt?.sequence).toBe(3);
  });
});
