import type { Decider } from '@scylla-es/es-core';
import { CorruptEventHistoryError } from '../shared/corrupt-history';
import {
  lastFourPattern,
  type AddCustomerAddress,
  type AddPaymentMethod,
  type ChangeCustomerEmail,
  type ChangeCustomerPhone,
  type CustomerCommand,
  type DeactivateCustomer,
  type ReactivateCustomer,
  type RegisterCustomer,
  type RemoveCustomerAddress,
  type RemovePaymentMethod,
  type SuspendCustomer,
  type UpdateCustomerAddress,
  type UpdateCustomerProfile,
  type UpgradeCustomerTier,
} from './commands';
import { isValidEmail, normalizeEmail } from './email';
import {
  AddressAlreadyExistsError,
  AddressNotFoundError,
  BlankCustomerNameError,
  CannotRemoveDefaultPaymentMethodError,
  CustomerAlreadyDeactivatedError,
  CustomerAlreadyExistsError,
  CustomerAlreadySuspendedError,
  CustomerNotActiveError,
  CustomerNotFoundError,
  CustomerNotSuspendedError,
  InvalidEmailError,
  InvalidLastFourError,
  PaymentMethodAlreadyExistsError,
  PaymentMethodNotFoundError,
  TierDowngradeNotAllowedError,
  type CustomerNameField,
} from './errors';
import type { CustomerEvent } from './events';
import {
  customerAggregateType,
  initialCustomerState,
  isHigherTier,
  type Customer,
  type CustomerState,
  type PostalAddress,
} from './state';

// Each command checks, in this order: that the customer exists (or not, for RegisterCustomer), that its input is
// valid, that the customer's status allows it, then the rules on addresses, payment methods and tiers.

function nonBlankName(field: CustomerNameField, name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new BlankCustomerNameError(field);
  return trimmed;
}

function validEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (!isValidEmail(normalized)) throw new InvalidEmailError();
  return normalized;
}

function requireActive(customer: Customer): void {
  if (customer.status !== 'Active') throw new CustomerNotActiveError(customer.status);
}

/** Copies exactly the five address fields, so nothing else a caller attached can reach an event. */
const postalAddress = ({ street, city, state, postalCode, country }: PostalAddress): PostalAddress => ({
  street,
  city,
  state,
  postalCode,
  country,
});

function registerCustomer({ data, metadata }: RegisterCustomer, state: CustomerState): CustomerEvent[] {
  if (state !== null) throw new CustomerAlreadyExistsError(state.id);
  const firstName = nonBlankName('firstName', data.firstName);
  const lastName = nonBlankName('lastName', data.lastName);
  const email = validEmail(data.email);
  return [
    {
      type: 'CustomerRegistered',
      data: { customerId: data.customerId, email, firstName, lastName, phone: data.phone, registeredAt: metadata.now },
    },
  ];
}

/** Only what really changes goes into the event; a profile update that changes nothing records nothing. */
function updateProfile({ data, metadata }: UpdateCustomerProfile, customer: Customer): CustomerEvent[] {
  const firstName = data.firstName === undefined ? undefined : nonBlankName('firstName', data.firstName);
  const lastName = data.lastName === undefined ? undefined : nonBlankName('lastName', data.lastName);
  requireActive(customer);
  const changes: { firstName?: string; lastName?: string; phone?: string } = {};
  if (firstName !== undefined && firstName !== customer.firstName) changes.firstName = firstName;
  if (lastName !== undefined && lastName !== customer.lastName) changes.lastName = lastName;
  if (data.phone !== undefined && data.phone !== customer.phone) changes.phone = data.phone;
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'CustomerProfileUpdated', data: { ...changes, updatedAt: metadata.now } }];
}

/** Changing to the current address succeeds with no event: nothing changed, so there is nothing to append. */
function changeEmail({ data, metadata }: ChangeCustomerEmail, customer: Customer): CustomerEvent[] {
  const email = validEmail(data.email);
  requireActive(customer);
  if (email === customer.email) return [];
  return [
    { type: 'CustomerEmailChanged', data: { oldEmail: customer.email, newEmail: email, changedAt: metadata.now } },
  ];
}

/** Same reasoning as for the email: setting the phone it already has is a success with nothing to record. */
function changePhone({ data, metadata }: ChangeCustomerPhone, customer: Customer): CustomerEvent[] {
  requireActive(customer);
  if (data.phone === customer.phone) return [];
  return [
    { type: 'CustomerPhoneChanged', data: { oldPhone: customer.phone, newPhone: data.phone, changedAt: metadata.now } },
  ];
}

function addAddress({ data, metadata }: AddCustomerAddress, customer: Customer): CustomerEvent[] {
  requireActive(customer);
  if (customer.addresses.some((address) => address.id === data.addressId)) {
    throw new AddressAlreadyExistsError(data.addressId);
  }
  return [
    {
      type: 'CustomerAddressAdded',
      data: {
        addressId: data.addressId,
        address: postalAddress(data.address),
        isDefault: data.setAsDefault,
        addedAt: metadata.now,
      },
    },
  ];
}

function requireAddress(customer: Customer, addressId: string): void {
  if (!customer.addresses.some((address) => address.id === addressId)) throw new AddressNotFoundError(addressId);
}

function updateAddress({ data, metadata }: UpdateCustomerAddress, customer: Customer): CustomerEvent[] {
  requireActive(customer);
  requireAddress(customer, data.addressId);
  return [
    {
      type: 'CustomerAddressUpdated',
      data: { addressId: data.addressId, address: postalAddress(data.address), updatedAt: metadata.now },
    },
  ];
}

function removeAddress({ data, metadata }: RemoveCustomerAddress, customer: Customer): CustomerEvent[] {
  requireActive(customer);
  requireAddress(customer, data.addressId);
  return [{ type: 'CustomerAddressRemoved', data: { addressId: data.addressId, removedAt: metadata.now } }];
}

function addPaymentMethod({ data, metadata }: AddPaymentMethod, customer: Customer): CustomerEvent[] {
  if (!lastFourPattern.test(data.lastFour)) throw new InvalidLastFourError();
  requireActive(customer);
  if (customer.paymentMethods.some((method) => method.id === data.paymentMethodId)) {
    throw new PaymentMethodAlreadyExistsError(data.paymentMethodId);
  }
  const paymentMethod = {
    id: data.paymentMethodId,
    type: data.type,
    lastFour: data.lastFour,
    isDefault: data.setAsDefault,
  };
  return [{ type: 'CustomerPaymentMethodAdded', data: { paymentMethod, addedAt: metadata.now } }];
}

function removePaymentMethod({ data, metadata }: RemovePaymentMethod, customer: Customer): CustomerEvent[] {
  requireActive(customer);
  const method = customer.paymentMethods.find((candidate) => candidate.id === data.paymentMethodId);
  if (!method) throw new PaymentMethodNotFoundError(data.paymentMethodId);
  if (method.isDefault && customer.paymentMethods.length > 1) {
    throw new CannotRemoveDefaultPaymentMethodError(method.id);
  }
  return [
    { type: 'CustomerPaymentMethodRemoved', data: { paymentMethodId: method.id, removedAt: metadata.now } },
  ];
}

function upgradeTier({ data, metadata }: UpgradeCustomerTier, customer: Customer): CustomerEvent[] {
  requireActive(customer);
  if (!isHigherTier(data.tier, customer.tier)) throw new TierDowngradeNotAllowedError(customer.tier, data.tier);
  return [
    { type: 'CustomerTierUpgraded', data: { oldTier: customer.tier, newTier: data.tier, upgradedAt: metadata.now } },
  ];
}

function suspendCustomer({ data, metadata }: SuspendCustomer, customer: Customer): CustomerEvent[] {
  if (customer.status === 'Suspended') throw new CustomerAlreadySuspendedError();
  if (customer.status === 'Deactivated') throw new CustomerAlreadyDeactivatedError();
  return [{ type: 'CustomerSuspended', data: { reason: data.reason, suspendedAt: metadata.now } }];
}

function reactivateCustomer({ data, metadata }: ReactivateCustomer, customer: Customer): CustomerEvent[] {
  if (customer.status !== 'Suspended') throw new CustomerNotSuspendedError(customer.status);
  return [{ type: 'CustomerReactivated', data: { notes: data.notes, reactivatedAt: metadata.now } }];
}

function deactivateCustomer({ data, metadata }: DeactivateCustomer, customer: Customer): CustomerEvent[] {
  if (customer.status === 'Deactivated') throw new CustomerAlreadyDeactivatedError();
  return [{ type: 'CustomerDeactivated', data: { reason: data.reason, deactivatedAt: metadata.now } }];
}

function decide(command: CustomerCommand, state: CustomerState): readonly CustomerEvent[] {
  if (command.type === 'RegisterCustomer') return registerCustomer(command, state);
  if (state === null) throw new CustomerNotFoundError();
  switch (command.type) {
    case 'UpdateProfile':
      return updateProfile(command, state);
    case 'ChangeEmail':
      return changeEmail(command, state);
    case 'ChangePhone':
      return changePhone(command, state);
    case 'AddAddress':
      return addAddress(command, state);
    case 'UpdateAddress':
      return updateAddress(command, state);
    case 'RemoveAddress':
      return removeAddress(command, state);
    case 'AddPaymentMethod':
      return addPaymentMethod(command, state);
    case 'RemovePaymentMethod':
      return removePaymentMethod(command, state);
    case 'UpgradeTier':
      return upgradeTier(command, state);
    case 'SuspendCustomer':
      return suspendCustomer(command, state);
    case 'ReactivateCustomer':
      return reactivateCustomer(command, state);
    case 'DeactivateCustomer':
      return deactivateCustomer(command, state);
  }
}

/** A new default takes the flag from the previous one, so there is never more than one default. */
const withoutDefault = <Item extends { readonly isDefault: boolean }>(items: readonly Item[]): readonly Item[] =>
  items.map((item) => (item.isDefault ? { ...item, isDefault: false } : item));

function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  if (event.type === 'CustomerRegistered') {
    const { customerId, email, firstName, lastName, phone, registeredAt } = event.data;
    return {
      id: customerId,
      email,
      firstName,
      lastName,
      phone,
      status: 'Active',
      tier: 'Bronze',
      addresses: [],
      paymentMethods: [],
      registeredAt,
      updatedAt: registeredAt,
    };
  }
  if (state === null) throw new CorruptEventHistoryError(customerAggregateType, event.type);
  switch (event.type) {
    case 'CustomerProfileUpdated': {
      const { updatedAt, ...changes } = event.data;
      return { ...state, ...changes, updatedAt };
    }
    case 'CustomerEmailChanged':
      return { ...state, email: event.data.newEmail, updatedAt: event.data.changedAt };
    case 'CustomerPhoneChanged':
      return { ...state, phone: event.data.newPhone, updatedAt: event.data.changedAt };
    case 'CustomerAddressAdded': {
      const { addressId, address, isDefault, addedAt } = event.data;
      const existing = isDefault ? withoutDefault(state.addresses) : state.addresses;
      return { ...state, addresses: [...existing, { id: addressId, ...address, isDefault }], updatedAt: addedAt };
    }
    case 'CustomerAddressUpdated': {
      const { addressId, address, updatedAt } = event.data;
      const addresses = state.addresses.map((existing) =>
        existing.id === addressId ? { ...existing, ...address } : existing,
      );
      return { ...state, addresses, updatedAt };
    }
    case 'CustomerAddressRemoved': {
      // The default flag lives on the address, so removing the default address leaves no default behind.
      const addresses = state.addresses.filter((address) => address.id !== event.data.addressId);
      return { ...state, addresses, updatedAt: event.data.removedAt };
    }
    case 'CustomerPaymentMethodAdded': {
      const { paymentMethod, addedAt } = event.data;
      const existing = paymentMethod.isDefault ? withoutDefault(state.paymentMethods) : state.paymentMethods;
      return { ...state, paymentMethods: [...existing, paymentMethod], updatedAt: addedAt };
    }
    case 'CustomerPaymentMethodRemoved': {
      const paymentMethods = state.paymentMethods.filter((method) => method.id !== event.data.paymentMethodId);
      return { ...state, paymentMethods, updatedAt: event.data.removedAt };
    }
    case 'CustomerTierUpgraded':
      return { ...state, tier: event.data.newTier, updatedAt: event.data.upgradedAt };
    case 'CustomerSuspended':
      return { ...state, status: 'Suspended', updatedAt: event.data.suspendedAt };
    case 'CustomerReactivated':
      return { ...state, status: 'Active', updatedAt: event.data.reactivatedAt };
    case 'CustomerDeactivated':
      return { ...state, status: 'Deactivated', updatedAt: event.data.deactivatedAt };
  }
}

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: initialCustomerState,
  decide,
  evolve,
};
