import { NotFoundError, RuleViolationError, UnprocessableReferenceError, ValidationError } from '@scylla-es/es-core';
import type { CustomerStatus } from '../customer/state';
import type { OrderStatus } from './state';

export class OrderNotFoundError extends NotFoundError {
  constructor() {
    super('order-not-found', 'the order does not exist');
  }
}

export class OrderAlreadyExistsError extends RuleViolationError {
  constructor(orderId: string) {
    super('order-already-exists', `order ${orderId} already exists`, { orderId });
  }
}

export class EmptyOrderItemsError extends ValidationError {
  constructor() {
    super('order-items-empty', 'an order needs at least one item');
  }
}

export class InvalidItemQuantityError extends ValidationError {
  constructor(productId: string, quantity: number, maximum: number) {
    super(
      'order-item-quantity-invalid',
      `quantity ${quantity} of product ${productId} must be a whole number from 1 to ${maximum}`,
      { productId, quantity, maximum },
    );
  }
}

export class DuplicateProductError extends ValidationError {
  constructor(productId: string) {
    super('order-item-duplicate-product', `product ${productId} appears on more than one line`, { productId });
  }
}

export type ShipmentField = 'trackingNumber' | 'carrier';

export class BlankShipmentFieldError extends ValidationError {
  constructor(field: ShipmentField) {
    super('order-shipment-field-blank', `${field} must not be blank`, { field });
  }
}

/** The application layer found no customer for the order's customerId. */
export class UnknownCustomerError extends UnprocessableReferenceError {
  constructor(customerId: string) {
    super('order-customer-unknown', `customer ${customerId} does not exist`, { customerId });
  }
}

export class InactiveCustomerError extends UnprocessableReferenceError {
  constructor(customerId: string, customerStatus: CustomerStatus) {
    super('order-customer-inactive', `customer ${customerId} is ${customerStatus}, not Active`, {
      customerId,
      customerStatus,
    });
  }
}

export class OrderAlreadyCancelledError extends RuleViolationError {
  constructor() {
    super('order-already-cancelled', 'the order is cancelled', { status: 'Cancelled' });
  }
}

export class OrderAlreadyConfirmedError extends RuleViolationError {
  constructor() {
    super('order-already-confirmed', 'the order is already confirmed', { status: 'Confirmed' });
  }
}

/** Only a Created order is "not yet confirmed"; later statuses get InvalidOrderStatusTransitionError. */
export class OrderNotConfirmedError extends RuleViolationError {
  constructor() {
    super('order-not-confirmed', 'the order must be Confirmed first, it is Created', { status: 'Created' });
  }
}

export class OrderNotShippedError extends RuleViolationError {
  constructor(status: OrderStatus) {
    super('order-not-shipped', `the order must be Shipped first, it is ${status}`, { status });
  }
}

export class InvalidOrderStatusTransitionError extends RuleViolationError {
  constructor(status: OrderStatus, commandType: string) {
    super('order-invalid-status-transition', `${commandType} is not allowed on a ${status} order`, {
      status,
      commandType,
    });
  }
}
