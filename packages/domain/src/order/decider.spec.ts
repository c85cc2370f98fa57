import { replay } from '@scylla-es/es-core';
import { CorruptEventHistoryError } from '../shared/corrupt-history';
import { deciderSpecification, type ErrorClass } from '../testing/specification';
import { maxItemQuantity, type CreateOrder, type OrderCommand } from './commands';
import { orderDecider } from './decider';
import {
  BlankShipmentFieldError,
  DuplicateProductError,
  EmptyOrderItemsError,
  InactiveCustomerError,
  InvalidItemQuantityError,
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
import type { OrderItem, OrderStatus } from './state';
import {
  at,
  clock,
  customerId,
  historyOf,
  orderConfirmed,
  orderCreated,
  orderId,
  orderItemsUpdated,
  orderShipped,
  productA,
  productB,
} from './test-fixtures';

const spec = deciderSpecification(orderDecider);
const metadata = at(clock.now);

const createOrder = (data: Partial<CreateOrder['data']> = {}): CreateOrder => ({
  type: 'CreateOrder',
  data: {
    orderId,
    customerId,
    items: [{ productId: productA, quantity: 2 }],
    customer: { status: 'Active' },
    ...data,
  },
  metadata,
});
const updateItems = (items: OrderItem[], reason?: string): OrderCommand => ({
  type: 'UpdateItems',
  data: { items, reason },
  metadata,
});
const confirmOrder: OrderCommand = { type: 'ConfirmOrder', data: {}, metadata };
const shipOrder = (trackingNumber = 'TRACK-42', carrier = 'DHL'): OrderCommand => ({
  type: 'ShipOrder',
  data: { trackingNumber, carrier },
  metadata,
});
const deliverOrder = (signature?: string): OrderCommand => ({ type: 'DeliverOrder', data: { signature }, metadata });
const cancelOrder: OrderCommand = {
  type: 'CancelOrder',
  data: { reason: 'out of stock', cancelledBy: 'support' },
  metadata,
};

type InvalidItemsCase = [description: string, items: OrderItem[], errorClass: ErrorClass, expected: object];

/** Broken item lists and the error each must raise, for both commands that take items. */
const invalidItemCases: InvalidItemsCase[] = [
  ['no items', [], EmptyOrderItemsError, { type: 'order-items-empty', status: 400 }],
  ...[0, -1, 1.5, maxItemQuantity + 1].map((quantity): InvalidItemsCase => [
    `quantity ${quantity}`,
    [{ productId: productA, quantity }],
    InvalidItemQuantityError,
    {
      type: 'order-item-quantity-invalid',
      status: 400,
      details: { productId: productA, quantity, maximum: maxItemQuantity },
    },
  ]),
  [
    'the same product on two lines',
    [
      { productId: productA, quantity: 1 },
      { productId: productA.toUpperCase(), quantity: 2 },
    ],
    DuplicateProductError,
    { type: 'order-item-duplicate-product', status: 400, details: { productId: productA.toUpperCase() } },
  ],
];

describe('Order decider', () => {
  describe('CreateOrder', () => {
    it('creates the order with its real id, the customer, the items and the injected time', () => {
      spec
        .given([])
        .when(createOrder())
        .then([
          {
            type: 'OrderCreated',
            data: { orderId, customerId, items: [{ productId: productA, quantity: 2 }], createdAt: clock.now },
          },
        ]);
    });

    it('accepts the maximum quantity', () => {
      spec
        .given([])
        .when(createOrder({ items: [{ productId: productA, quantity: maxItemQuantity }] }))
        .then([
          {
            type: 'OrderCreated',
            data: {
              orderId,
              customerId,
              items: [{ productId: productA, quantity: maxItemQuantity }],
              createdAt: clock.now,
            },
          },
        ]);
    });

    it('rejects a second creation of the same order', () => {
      spec
        .given([orderCreated])
        .when(createOrder())
        .thenThrows(OrderAlreadyExistsError, { type: 'order-already-exists', status: 409, details: { orderId } });
    });

    it.each(invalidItemCases)('rejects %s', (_case, items, errorClass, expected) => {
      spec.given([]).when(createOrder({ items })).thenThrows(errorClass, expected);
    });

    it('rejects an unknown customer with 422', () => {
      spec
        .given([])
        .when(createOrder({ customer: null }))
        .thenThrows(UnknownCustomerError, { type: 'order-customer-unknown', status: 422, details: { customerId } });
    });

    it.each(['Suspended', 'Deactivated'] as const)('rejects a %s customer with 422', (customerStatus) => {
      spec
        .given([])
        .when(createOrder({ customer: { status: customerStatus } }))
        .thenThrows(InactiveCustomerError, {
          type: 'order-customer-inactive',
          status: 422,
          details: { customerId, customerStatus },
        });
    });
  });

  describe('UpdateItems', () => {
    const newItems = [
      { productId: productA, quantity: 3 },
      { productId: productB, quantity: 1 },
    ];

    it('replaces the items of a Created order', () => {
      spec
        .given(historyOf.Created)
        .when(updateItems(newItems, 'typo'))
        .then([{ type: 'OrderItemsUpdated', data: { items: newItems, reason: 'typo', updatedAt: clock.now } }]);
    });

    it('rejects a Cancelled order as already cancelled', () => {
      spec
        .given(historyOf.Cancelled)
        .when(updateItems(newItems))
        .thenThrows(OrderAlreadyCancelledError, { type: 'order-already-cancelled', status: 409 });
    });

    it.each(['Confirmed', 'Shipped', 'Delivered'] as const)('rejects a %s order as an invalid transition', (status) => {
      spec
        .given(historyOf[status])
        .when(updateItems(newItems))
        .thenThrows(InvalidOrderStatusTransitionError, {
          type: 'order-invalid-status-transition',
          details: { status, commandType: 'UpdateItems' },
        });
    });

    it.each(invalidItemCases)('applies the item rules: rejects %s', (_case, items, errorClass, expected) => {
      spec.given(historyOf.Created).when(updateItems(items)).thenThrows(errorClass, expected);
    });
  });

  describe('ConfirmOrder', () => {
    it('confirms a Created order', () => {
      spec
        .given(historyOf.Created)
        .when(confirmOrder)
        .then([{ type: 'OrderConfirmed', data: { confirmedAt: clock.now } }]);
    });

    it('rejects a Confirmed order as already confirmed', () => {
      spec
        .given(historyOf.Confirmed)
        .when(confirmOrder)
        .thenThrows(OrderAlreadyConfirmedError, { type: 'order-already-confirmed', status: 409 });
    });

    it.each(['Shipped', 'Delivered', 'Cancelled'] as const)('rejects a %s order as an invalid transition', (status) => {
      spec
        .given(historyOf[status])
        .when(confirmOrder)
        .thenThrows(InvalidOrderStatusTransitionError, { details: { status, commandType: 'ConfirmOrder' } });
    });
  });

  describe('ShipOrder', () => {
    it('ships a Confirmed order with the trimmed tracking number and carrier', () => {
      spec
        .given(historyOf.Confirmed)
        .when(shipOrder('  TRACK-42 ', ' DHL '))
        .then([{ type: 'OrderShipped', data: { trackingNumber: 'TRACK-42', carrier: 'DHL', shippedAt: clock.now } }]);
    });

    it('rejects a Created order as not confirmed', () => {
      spec
        .given(historyOf.Created)
        .when(shipOrder())
        .thenThrows(OrderNotConfirmedError, { type: 'order-not-confirmed', status: 409 });
    });

    it.each(['Shipped', 'Delivered', 'Cancelled'] as const)('rejects a %s order as an invalid transition', (status) => {
      spec
        .given(historyOf[status])
        .when(shipOrder())
        .thenThrows(InvalidOrderStatusTransitionError, { details: { status, commandType: 'ShipOrder' } });
    });

    it.each([
      ['trackingNumber', shipOrder('   ', 'DHL')],
      ['carrier', shipOrder('TRACK-42', '')],
    ])('rejects a blank %s', (field, command) => {
      spec
        .given(historyOf.Confirmed)
        .when(command)
        .thenThrows(BlankShipmentFieldError, { type: 'order-shipment-field-blank', status: 400, details: { field } });
    });
  });

  describe('DeliverOrder', () => {
    it('delivers a Shipped order with the signature', () => {
      spec
        .given(historyOf.Shipped)
        .when(deliverOrder('A. Smith'))
        .then([{ type: 'OrderDelivered', data: { deliveredAt: clock.now, signature: 'A. Smith' } }]);
    });

    it('delivers a Shipped order without a signature', () => {
      spec
        .given(historyOf.Shipped)
        .when(deliverOrder())
        .then([{ type: 'OrderDelivered', data: { deliveredAt: clock.now } }]);
    });

    it('rejects a Cancelled order as already cancelled, not as not shipped', () => {
      spec.given(historyOf.Cancelled).when(deliverOrder()).thenThrows(OrderAlreadyCancelledError);
    });

    it.each(['Created', 'Confirmed', 'Delivered'] as const)('rejects a %s order as not shipped', (status) => {
      spec
        .given(historyOf[status])
        .when(deliverOrder())
        .thenThrows(OrderNotShippedError, { type: 'order-not-shipped', status: 409, details: { status } });
    });
  });

  describe('CancelOrder', () => {
    it.each(['Created', 'Confirmed', 'Shipped'] as const)('cancels a %s order', (status) => {
      spec
        .given(historyOf[status])
        .when(cancelOrder)
        .then([
          {
            type: 'OrderCancelled',
            data: { reason: 'out of stock', cancelledBy: 'support', cancelledAt: clock.now },
          },
        ]);
    });

    it('cancels without a reason or author', () => {
      spec
        .given(historyOf.Created)
        .when({ type: 'CancelOrder', data: {}, metadata })
        .then([{ type: 'OrderCancelled', data: { cancelledAt: clock.now } }]);
    });

    it('rejects a Cancelled order as already cancelled', () => {
      spec.given(historyOf.Cancelled).when(cancelOrder).thenThrows(OrderAlreadyCancelledError);
    });

    it('rejects a Delivered order as an invalid transition', () => {
      spec
        .given(historyOf.Delivered)
        .when(cancelOrder)
        .thenThrows(InvalidOrderStatusTransitionError, {
          details: { status: 'Delivered', commandType: 'CancelOrder' },
        });
    });
  });

  it.each<OrderCommand>([
    updateItems([{ productId: productA, quantity: 1 }]),
    confirmOrder,
    shipOrder(),
    deliverOrder(),
    cancelOrder,
  ])('rejects $type on an order that does not exist with 404', (command) => {
    spec.given([]).when(command).thenThrows(OrderNotFoundError, { type: 'order-not-found', status: 404 });
  });
});

describe('Order evolve and replay', () => {
  it('starts with no order', () => {
    expect(orderDecider.initialState()).toBeNull();
  });

  it('keeps the real id and takes createdAt/updatedAt from the events', () => {
    expect(replay(orderDecider, [orderCreated, orderItemsUpdated])).toEqual({
      id: orderId,
      customerId,
      items: orderItemsUpdated.data.items,
      status: 'Created',
      createdAt: clock.created,
      updatedAt: clock.itemsUpdated,
    });
  });

  it('follows the whole lifecycle to Delivered, keeping shipment and signature', () => {
    expect(replay(orderDecider, historyOf.Delivered)).toEqual({
      id: orderId,
      customerId,
      items: orderCreated.data.items,
      status: 'Delivered',
      createdAt: clock.created,
      updatedAt: clock.delivered,
      trackingNumber: orderShipped.data.trackingNumber,
      carrier: orderShipped.data.carrier,
      signature: 'J. Doe',
    });
  });

  it('keeps the cancellation reason and author', () => {
    expect(replay(orderDecider, historyOf.Cancelled)).toMatchObject({
      status: 'Cancelled',
      cancellationReason: 'changed my mind',
      cancelledBy: 'customer',
      updatedAt: clock.cancelled,
    });
  });

  it.each(Object.keys(historyOf) as OrderStatus[])('replays a %s history to that status', (status) => {
    expect(replay(orderDecider, historyOf[status])?.status).toBe(status);
  });

  describe('determinism', () => {
    afterEach(() => jest.useRealTimers());

    it('gives the same state for the same events, whatever the wall clock says', () => {
      const history: OrderEvent[] = [orderCreated, orderItemsUpdated, orderConfirmed, orderShipped];
      jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
      const first = replay(orderDecider, history);
      jest.setSystemTime(new Date('2031-06-15T00:00:00Z'));
      const second = replay(orderDecider, history);
      expect(second).toEqual(first);
      expect(second?.createdAt).toEqual(clock.created);
      expect(second?.updatedAt).toEqual(clock.shipped);
    });

    it('decides the same events for the same command and history', () => {
      const decideOnce = () => orderDecider.decide(cancelOrder, replay(orderDecider, historyOf.Confirmed));
      expect(decideOnce()).toEqual(decideOnce());
    });
  });

  it('refuses a history that does not start with OrderCreated', () => {
    expect(() => replay(orderDecider, [orderConfirmed])).toThrow(CorruptEventHistoryError);
  });
});
