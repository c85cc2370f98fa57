import type { CustomerEvent } from '@scylla-es/domain';
import { projectionSpecification, streamOf } from '../testing/projection-specification';
import { projectCustomerEvent } from './customer-projection';

const customerId = '0b7e6d5c-4f3a-4b2c-9d1e-0f1a2b3c4d5e';
const addressId = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const cardId = '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';
const registeredAt = new Date('2025-03-01T09:00:00.000Z');
const address = { street: '1 Analytical Way', city: 'London', state: 'LDN', postalCode: 'N1', country: 'GB' };

const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: { customerId, email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', registeredAt },
};
const addressAdded: CustomerEvent = {
  type: 'CustomerAddressAdded',
  data: { addressId, address, isDefault: true, addedAt: new Date('2025-03-01T10:00:00.000Z') },
};
const cardAdded: CustomerEvent = {
  type: 'CustomerPaymentMethodAdded',
  data: { paymentMethod: { id: cardId, type: 'CreditCard', lastFour: '4242', isDefault: true }, addedAt: new Date('2025-03-01T11:00:00.000Z') },
};
const upgraded: CustomerEvent = {
  type: 'CustomerTierUpgraded',
  data: { oldTier: 'Bronze', newTier: 'Gold', upgradedAt: new Date('2025-03-02T09:00:00.000Z') },
};
const suspended: CustomerEvent = { type: 'CustomerSuspended', data: { reason: 'chargeback', suspendedAt: new Date('2025-03-03T09:00:00.000Z') } };
const addressRemoved: CustomerEvent = { type: 'CustomerAddressRemoved', data: { addressId, removedAt: new Date('2025-03-04T09:00:00.000Z') } };

const next = (...events: CustomerEvent[]) => {
  const stream = streamOf('Customer', customerId, events);
  return { given: stream.slice(0, -1), when: stream[stream.length - 1]! };
};

const spec = projectionSpecification(projectCustomerEvent);

describe('customer read model', () => {
  it('given no history, when the customer registers, then it is an Active Bronze customer at version 1', () => {
    const { given, when } = next(registered);
    spec.given(given).when(when).then({
      customer: expect.objectContaining({ id: customerId, email: 'ada@example.com', status: 'Active', tier: 'Bronze', addresses: [], paymentMethods: [] }) as never,
      version: 1,
      lastEventAt: when.occurredAt,
    });
  });

  it('given a registered customer, when an address and a card are added, then both are kept as defaults', () => {
    const { given, when } = next(registered, addressAdded, cardAdded);
    spec.given(given).when(when).then((view) => {
      expect(view.version).toBe(3);
      expect(view.customer.addresses).toEqual([{ id: addressId, ...address, isDefault: true }]);
      expect(view.customer.paymentMethods).toEqual([{ id: cardId, type: 'CreditCard', lastFour: '4242', isDefault: true }]);
    });
  });

  it('given an upgraded customer, when suspended, then status and tier both show', () => {
    const { given, when } = next(registered, upgraded, suspended);
    spec.given(given).when(when).then({ customer: expect.objectContaining({ status: 'Suspended', tier: 'Gold' }) as never, version: 3 });
  });

  it('given an address, when it is removed, then the customer has none', () => {
    const { given, when } = next(registered, addressAdded, addressRemoved);
    spec.given(given).when(when).then((view) => expect(view.customer.addresses).toEqual([]));
  });

  it('given no history, when a later event arrives, then the history is corrupt', () => {
    const [suspension] = streamOf('Customer', customerId, [suspended]);
    spec.given([]).when(suspension!).thenThrows(/never created/);
  });
});
