import type { CommandMetadata } from '../shared/command';
import type {
  CustomerAddressAdded,
  CustomerDeactivated,
  CustomerEvent,
  CustomerPaymentMethodAdded,
  CustomerRegistered,
  CustomerSuspended,
} from './events';
import type { CustomerStatus, PostalAddress } from './state';

export const customerId = '0b7e6d5c-4f3a-4b2c-9d1e-0f1a2b3c4d5e';
export const homeAddressId = 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f';
export const workAddressId = 'd4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f80';
export const cardId = 'e5f6a7b8-c9d0-4e1f-a02b-4c5d6e7f8091';
export const walletId = 'f6a7b8c9-d0e1-4f2a-b13c-5d6e7f8091a2';

export const clock = {
  registered: new Date('2025-02-01T08:00:00.000Z'),
  homeAdded: new Date('2025-02-01T08:05:00.000Z'),
  workAdded: new Date('2025-02-01T08:10:00.000Z'),
  cardAdded: new Date('2025-02-01T08:15:00.000Z'),
  walletAdded: new Date('2025-02-01T08:20:00.000Z'),
  suspended: new Date('2025-02-10T09:00:00.000Z'),
  deactivated: new Date('2025-02-11T09:00:00.000Z'),
  now: new Date('2025-03-01T12:00:00.000Z'),
};

export const at = (now: Date): CommandMetadata => ({ now });

export const homeAddress: PostalAddress = {
  street: '1 Main St',
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  country: 'US',
};
export const workAddress: PostalAddress = {
  street: '99 Market St',
  city: 'San Francisco',
  state: 'CA',
  postalCode: '94105',
  country: 'US',
};

export const customerRegistered: CustomerRegistered = {
  type: 'CustomerRegistered',
  data: {
    customerId,
    email: 'ann@example.com',
    firstName: 'Ann',
    lastName: 'Lee',
    phone: '+1 555 0100',
    registeredAt: clock.registered,
  },
};

export const homeAddressAddedAsDefault: CustomerAddressAdded = {
  type: 'CustomerAddressAdded',
  data: { addressId: homeAddressId, address: homeAddress, isDefault: true, addedAt: clock.homeAdded },
};

export const workAddressAdded: CustomerAddressAdded = {
  type: 'CustomerAddressAdded',
  data: { addressId: workAddressId, address: workAddress, isDefault: false, addedAt: clock.workAdded },
};

export const cardAddedAsDefault: CustomerPaymentMethodAdded = {
  type: 'CustomerPaymentMethodAdded',
  data: {
    paymentMethod: { id: cardId, type: 'CreditCard', lastFour: '4242', isDefault: true },
    addedAt: clock.cardAdded,
  },
};

export const walletAdded: CustomerPaymentMethodAdded = {
  type: 'CustomerPaymentMethodAdded',
  data: {
    paymentMethod: { id: walletId, type: 'DigitalWallet', lastFour: '0005', isDefault: false },
    addedAt: clock.walletAdded,
  },
};

export const customerSuspended: CustomerSuspended = {
  type: 'CustomerSuspended',
  data: { reason: 'chargeback', suspendedAt: clock.suspended },
};

export const customerDeactivated: CustomerDeactivated = {
  type: 'CustomerDeactivated',
  data: { reason: 'account closed', deactivatedAt: clock.deactivated },
};

/** A registered customer with two addresses (home is the default) and two payment methods (card is the default). */
export const equippedCustomer: readonly CustomerEvent[] = [
  customerRegistered,
  homeAddressAddedAsDefault,
  workAddressAdded,
  cardAddedAsDefault,
  walletAdded,
];

/** The shortest history that leaves an equipped customer in each status. */
export const historyOf: { readonly [Status in CustomerStatus]: readonly CustomerEvent[] } = {
  Active: equippedCustomer,
  Suspended: [...equippedCustomer, customerSuspended],
  Deactivated: [...equippedCustomer, customerDeactivated],
};
