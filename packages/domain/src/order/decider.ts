import type { Decider } from '@scylla-es/es-core';
import { CorruptEventHistoryError } from '../shared/corrupt-history';
import type {
  CancelOrder,
  ConfirmOrder,
  CreateOrder,
  DeliverOrder,
  OrderCommand,
  ShipOrder,
  UpdateOrderItems,
} from './commands';
import {
  BlankShipmentFieldError,
  InactiveCustomerError,
  InvalidOrderStatusTransitionError,
  OrderAlreadyCancelledError,
  OrderAlreadyConfirmedError,
  OrderAlreadyExistsError,
  OrderNotConfirmedError,
  OrderNotFoundError,
  OrderNotShippedError,
  UnknownCustomerError,
} from './errors';
import type { OrderEvent } from './events';
import { checkedOrderItems } from './items';
import { initialOrderState, orderAggregateType, type Order, type OrderState } from './state';

// Each command checks, in this order: that the order exists (or not, for CreateOrder), that its input is valid,
// then that the order's status allows it, so a malformed command is reported as such whatever the status.

function createOrder({ data, metadata }: CreateOrder, state: OrderState): OrderEvent[] {
  if (state !== null) throw new OrderAlreadyExistsError(state.id);
  const items = checkedOrderItems(data.items);
  if (data.customer === null) throw new UnknownCustomerError(data.customerId);
  if (data.customer.status !== 'Active') throw new InactiveCustomerError(data.customerId, data.customer.status);
  return [
    {
      type: 'OrderCreated',
      data: { orderId: data.orderId, customerId: data.customerId, items, createdAt: metadata.now },
    },
  ];
}

function updateItems({ data, metadata }: UpdateOrderItems, order: Order): OrderEvent[] {
  const items = checkedOrderItems(data.items);
  if (order.status === 'Cancelled') throw new OrderAlreadyCancelledError();
  if (order.status !== 'Created') throw new InvalidOrderStatusTransitionError(order.status, 'UpdateItems');
  return [{ type: 'OrderItemsUpdated', data: { items, reason: data.reason, updatedAt: metadata.now } }];
}

function confirmOrder({ metadata }: ConfirmOrder, order: Order): OrderEvent[] {
  if (order.status === 'Confirmed') throw new OrderAlreadyConfirmedError();
  if (order.status !== 'Created') throw new InvalidOrderStatusTransitionError(order.status, 'ConfirmOrder');
  return [{ type: 'OrderConfirmed', data: { confirmedAt: metadata.now } }];
}

function shipOrder({ data, metadata }: ShipOrder, order: Order): OrderEvent[] {
  const trackingNumber = data.trackingNumber.trim();
  const carrier = data.carrier.trim();
  if (trackingNumber === '') throw new BlankShipmentFieldError('trackingNumber');
  if (carrier === '') throw new BlankShipmentFieldError('carrier');
  if (order.status === 'Created') throw new OrderNotConfirmedError();
  if (order.status !== 'Confirmed') throw new InvalidOrderStatusTransitionError(order.status, 'ShipOrder');
  return [{ type: 'OrderShipped', data: { trackingNumber, carrier, shippedAt: metadata.now } }];
}

function deliverOrder({ data, metadata }: DeliverOrder, order: Order): OrderEvent[] {
  if (order.status === 'Cancelled') throw new OrderAlreadyCancelledError();
  if (order.status !== 'Shipped') throw new OrderNotShippedError(order.status);
  return [{ type: 'OrderDelivered', data: { deliveredAt: metadata.now, signature: data.signature } }];
}

function cancelOrder({ data, metadata }: CancelOrder, order: Order): OrderEvent[] {
  if (order.status === 'Cancelled') throw new OrderAlreadyCancelledError();
  if (order.status === 'Delivered') throw new InvalidOrderStatusTransitionError(order.status, 'CancelOrder');
  return [
    {
      type: 'OrderCancelled',
      data: { reason: data.reason, cancelledBy: data.cancelledBy, cancelledAt: metadata.now },
    },
  ];
}

function decide(command: OrderCommand, state: OrderState): readonly OrderEvent[] {
  if (command.type === 'CreateOrder') return createOrder(command, state);
  if (state === null) throw new OrderNotFoundError();
  switch (command.type) {
    case 'UpdateItems':
      return updateItems(command, state);
    case 'ConfirmOrder':
      return confirmOrder(command, state);
    case 'ShipOrder':
      return shipOrder(command, state);
    case 'DeliverOrder':
      return deliverOrder(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
  }
}

function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderCreated') {
    const { orderId, customerId, items, createdAt } = event.data;
    return { id: orderId, customerId, items, status: 'Created', createdAt, updatedAt: createdAt };
  }
  if (state === null) throw new CorruptEventHistoryError(orderAggregateType, event.type);
  switch (event.type) {
    case 'OrderItemsUpdated':
      return { ...state, items: event.data.items, updatedAt: event.data.updatedAt };
    case 'OrderConfirmed':
      return { ...state, status: 'Confirmed', updatedAt: event.data.confirmedAt };
    case 'OrderShipped': {
      const { trackingNumber, carrier, shippedAt } = event.data;
      return { ...state, status: 'Shipped', trackingNumber, carrier, updatedAt: shippedAt };
    }
    case 'OrderDelivered':
      return { ...state, status: 'Delivered', signature: event.data.signature, updatedAt: event.data.deliveredAt };
    case 'OrderCancelled': {
      const { reason, cancelledBy, cancelledAt } = event.data;
      return { ...state, status: 'Cancelled', cancellationReason: reason, cancelledBy, updatedAt: cancelledAt };
    }
  }
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  decide,
  evolve,
};
