import {
  NotFoundError,
  RuleViolationError,
  UnprocessableReferenceError,
  ValidationError,
  type EventSourcingError,
} from '@scylla-es/es-core';
import * as domain from './index';

/** One instance of every domain error the package exports, built with placeholder arguments. */
const everyDomainError: EventSourcingError[] = [
  new domain.OrderNotFoundError(),
  new domain.OrderAlreadyExistsError('o'),
  new domain.EmptyOrderItemsError(),
  new domain.InvalidItemQuantityError('p', 0, 1),
  new domain.DuplicateProductError('p'),
  new domain.BlankShipmentFieldError('carrier'),
  new domain.UnknownCustomerError('c'),
  new domain.InactiveCustomerError('c', 'Suspended'),
  new domain.OrderAlreadyCancelledError(),
  new domain.OrderAlreadyConfirmedError(),
  new domain.OrderNotConfirmedError(),
  new domain.OrderNotShippedError('Created'),
  new domain.InvalidOrderStatusTransitionError('Delivered', 'CancelOrder'),
  new domain.CustomerNotFoundError(),
  new domain.CustomerAlreadyExistsError('c'),
  new domain.BlankCustomerNameError('firstName'),
  new domain.InvalidEmailError(),
  new domain.InvalidLastFourError(),
  new domain.CustomerNotActiveError('Suspended'),
  new domain.AddressAlreadyExistsError('a'),
  new domain.AddressNotFoundError('a'),
  new domain.PaymentMethodAlreadyExistsError('m'),
  new domain.PaymentMethodNotFoundError('m'),
  new domain.CannotRemoveDefaultPaymentMethodError('m'),
  new domain.TierDowngradeNotAllowedError('Gold', 'Silver'),
  new domain.CustomerAlreadySuspendedError(),
  new domain.CustomerAlreadyDeactivatedError(),
  new domain.CustomerNotSuspendedError('Active'),
];

describe('domain errors', () => {
  it('cover every error class the package exports', () => {
    const exports: unknown[] = Object.values(domain);
    const exportedErrorClasses = exports.filter(
      (value): value is { readonly name: string } =>
        typeof value === 'function' && value.prototype instanceof Error && value.name !== 'CorruptEventHistoryError',
    );
    const names = (classes: readonly { name: string }[]) => classes.map((errorClass) => errorClass.name).sort();
    expect(names(everyDomainError.map((error) => error.constructor))).toEqual(names(exportedErrorClasses));
  });

  it('have a unique, stable, kebab-case type slug prefixed by their aggregate', () => {
    const slugs = everyDomainError.map((error) => error.type);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^(order|customer)(-[a-z0-9]+)+$/);
  });

  it('map each family to its HTTP status', () => {
    const statusByFamily: [abstract new (...args: never[]) => EventSourcingError, number][] = [
      [ValidationError, 400],
      [NotFoundError, 404],
      [RuleViolationError, 409],
      [UnprocessableReferenceError, 422],
    ];
    for (const error of everyDomainError) {
      const [, expectedStatus] = statusByFamily.find(([family]) => error instanceof family) ?? [];
      expect({ error: error.name, status: error.status }).toEqual({ error: error.name, status: expectedStatus });
    }
  });
});
