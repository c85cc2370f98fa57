import type { RecordedEvent } from '@scylla-es/es-core';
import { orderDecider, type OrderEvent } from '@scylla-es/domain';
import { domainEventOf } from '../projection/domain-event';
import type { OrderView } from './order-view';

/**
 * The next state of an order's read model after one of its events. The order itself is folded by the domain's
 * own `evolve`, so the read model can never disagree with what the command side replays from the same events.
 * The caller guarantees the event is the next one of the stream (sequence = version + 1).
 */
export function projectOrderEvent(current: OrderView | null, event: RecordedEvent): OrderView {
  const order = orderDecider.evolve(current?.order ?? null, domainEventOf<OrderEvent>(event));
  if (order === null) throw new Error(`${event.type} left order ${event.aggregateId} without state`);
  const statusChanged = current === null || current.order.status !== order.status;
  return {
    order,
    version: event.sequence,
    lastEventAt: event.occurredAt,
    // The domain's own time of the change (createdAt, confirmedAt, …), which evolve keeps as updatedAt.
    statusEnteredAt: statusChanged ? order.updatedAt : current.statusEnteredAt,
  };
}
