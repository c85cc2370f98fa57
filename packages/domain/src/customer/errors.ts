import { NotFoundError, RuleViolationError, ValidationError } from '@scylla-es/es-core';
import type { CustomerStatus, CustomerTier } from './state';

export class CustomerNotFoundError extends NotFoundError {
  constructor() {
    super('customer-not-found', 'the customer does not exist');
  }
}

export class CustomerAlreadyExistsError extends RuleViolationError {
  constructor(customerId: string) {
    super('customer-already-exists', `customer ${customerId} already exists`, { customerId });
  }
}

export type CustomerNameField = 'firstName' | 'lastName';

export class BlankCustomerNameError extends ValidationError {
  constructor(field: CustomerNameField) {
    super('customer-name-blank', `${field} must not be blank`, { field });
  }
}

/** The rejected address is not echoed in the details: problem documents end up in logs. */
export class InvalidEmailError extends ValidationError {
  constructor() {
    super('customer-email-invalid', 'the email address is not valid');
  }
}

export class InvalidLastFourError extends ValidationError {
  constructor() {
    super('customer-payment-method-last-four-invalid', 'lastFour must be exactly 4 digits');
  }
}

/** Most commands need an Active customer; a Suspended or Deactivated one is frozen. */
export class CustomerNotActiveError extends RuleViolationError {
  constructor(status: CustomerStatus) {
    super('customer-not-active', `the customer is ${status}, not Active`, { status });
  }
}

export class AddressAlreadyExistsError extends RuleViolationError {
  constructor(addressId: string) {
    super('customer-address-already-exists', `address ${addressId} already exists`, { addressId });
  }
}

export class AddressNotFoundError extends NotFoundError {
  constructor(addressId: string) {
    super('customer-address-not-found', `address ${addressId} does not exist`, { addressId });
  }
}

export class PaymentMethodAlreadyExistsError extends RuleViolationError {
  constructor(paymentMethodId: string) {
    super('customer-payment-method-already-exists', `payment method ${paymentMethodId} already exists`, {
      paymentMethodId,
    });
  }
}

export class PaymentMethodNotFoundError extends NotFoundError {
  constructor(paymentMethodId: string) {
    super('customer-payment-method-not-found', `payment method ${paymentMethodId} does not exist`, {
      paymentMethodId,
    });
  }
}

/** A customer with several payment methods must always have a default; choose another default first. */
export class CannotRemoveDefaultPaymentMethodError extends RuleViolationError {
  constructor(paymentMethodId: string) {
    super(
      'customer-cannot-remove-default-payment-method',
      `payment method ${paymentMethodId} is the default while others exist; make another one the default first`,
      { paymentMethodId },
    );
  }
}

export class TierDowngradeNotAllowedError extends RuleViolationError {
  constructor(currentTier: CustomerTier, requestedTier: CustomerTier) {
    super(
      'customer-tier-downgrade-not-allowed',
      `tier ${requestedTier} is not higher than the current tier ${currentTier}`,
      { currentTier, requestedTier },
    );
  }
}

export class CustomerAlreadySuspendedError extends RuleViolationError {
  constructor() {
    super('customer-already-suspended', 'the customer is already suspended', { status: 'Suspended' });
  }
}

export class CustomerAlreadyDeactivatedError extends RuleViolationError {
  constructor() {
    super('customer-already-deactivated', 'the customer is deactivated', { status: 'Deactivated' });
  }
}

export class CustomerNotSuspendedError extends RuleViolationError {
  constructor(status: CustomerStatus) {
    super('customer-not-suspended', `only a Suspended customer can be reactivated, this one is ${status}`, {
      status,
    });
  }
}
