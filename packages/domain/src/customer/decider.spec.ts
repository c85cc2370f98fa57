import { replay } from '@scylla-es/es-core';
import { CorruptEventHistoryError } from '../shared/corrupt-history';
import { deciderSpecification } from '../testing/specification';
import type { CustomerCommand, RegisterCustomer, UpdateCustomerProfile } from './commands';
import { customerDecider } from './decider';
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
} from './errors';
import type { CustomerEvent, CustomerTierUpgraded } from './events';
import { customerTiers, type CustomerTier } from './state';
import {
  at,
  cardAddedAsDefault,
  cardId,
  clock,
  customerDeactivated,
  customerId,
  customerRegistered,
  customerSuspended,
  historyOf,
  homeAddress,
  homeAddressAddedAsDefault,
  homeAddressId,
  walletAdded,
  walletId,
  workAddress,
  workAddressAdded,
  workAddressId,
} from './test-fixtures';

const spec = deciderSpecification(customerDecider);
const metadata = at(clock.now);
const newAddressId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const newPaymentMethodId = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e';

const register = (data: Partial<RegisterCustomer['data']> = {}): RegisterCustomer => ({
  type: 'RegisterCustomer',
  data: { customerId, email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', ...data },
  metadata,
});

const updateProfile = (data: UpdateCustomerProfile['data']): CustomerCommand => ({
  type: 'UpdateProfile',
  data,
  metadata,
});
const changeEmail = (email: string): CustomerCommand => ({ type: 'ChangeEmail', data: { email }, metadata });
const changePhone = (phone: string): CustomerCommand => ({ type: 'ChangePhone', data: { phone }, metadata });
const addAddress = (addressId: string, setAsDefault = false): CustomerCommand => ({
  type: 'AddAddress',
  data: { addressId, address: workAddress, setAsDefault },
  metadata,
});
const updateAddress = (addressId: string): CustomerCommand => ({
  type: 'UpdateAddress',
  data: { addressId, address: workAddress },
  metadata,
});
const removeAddress = (addressId: string): CustomerCommand => ({
  type: 'RemoveAddress',
  data: { addressId },
  metadata,
});
const addPaymentMethod = (paymentMethodId: string, lastFour = '1111', setAsDefault = false): CustomerCommand => ({
  type: 'AddPaymentMethod',
  data: { paymentMethodId, type: 'DebitCard', lastFour, setAsDefault },
  metadata,
});
const removePaymentMethod = (paymentMethodId: string): CustomerCommand => ({
  type: 'RemovePaymentMethod',
  data: { paymentMethodId },
  metadata,
});
const upgradeTier = (tier: CustomerTier): CustomerCommand => ({ type: 'UpgradeTier', data: { tier }, metadata });
const suspend: CustomerCommand = { type: 'SuspendCustomer', data: { reason: 'fraud check' }, metadata };
const reactivate = (notes?: string): CustomerCommand => ({ type: 'ReactivateCustomer', data: { notes }, metadata });
const deactivate: CustomerCommand = { type: 'DeactivateCustomer', data: { reason: 'closed by request' }, metadata };

const tierUpgraded = (oldTier: CustomerTier, newTier: CustomerTier, upgradedAt = clock.now): CustomerTierUpgraded => ({
  type: 'CustomerTierUpgraded',
  data: { oldTier, newTier, upgradedAt },
});

describe('Customer decider', () => {
  describe('RegisterCustomer', () => {
    it('registers with the normalized email, trimmed names and the injected time', () => {
      spec
        .given([])
        .when(register({ email: '  Ann@Example.COM ', firstName: ' Ann ', lastName: 'Lee ', phone: '+1 555 0100' }))
        .then([
          {
            type: 'CustomerRegistered',
            data: {
              customerId,
              email: 'ann@example.com',
              firstName: 'Ann',
              lastName: 'Lee',
              phone: '+1 555 0100',
              registeredAt: clock.now,
            },
          },
        ]);
    });

    it('registers without a phone', () => {
      spec
        .given([])
        .when(register())
        .then([
          {
            type: 'CustomerRegistered',
            data: { customerId, email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', registeredAt: clock.now },
          },
        ]);
    });

    it('rejects a second registration of the same customer', () => {
      spec
        .given([customerRegistered])
        .when(register())
        .thenThrows(CustomerAlreadyExistsError, {
          type: 'customer-already-exists',
          status: 409,
          details: { customerId },
        });
    });

    it.each(['firstName', 'lastName'] as const)('rejects a blank %s', (field) => {
      spec
        .given([])
        .when(register({ [field]: '   ' }))
        .thenThrows(BlankCustomerNameError, { type: 'customer-name-blank', status: 400, details: { field } });
    });

    it.each(['not-an-email', 'ann@', '@example.com', 'ann lee@example.com', '', `${'a'.repeat(250)}@example.com`])(
      'rejects the invalid email %j',
      (email) => {
        spec
          .given([])
          .when(register({ email }))
          .thenThrows(InvalidEmailError, { type: 'customer-email-invalid', status: 400 });
      },
    );
  });

  describe('UpdateProfile', () => {
    it('records only the fields that change, trimmed', () => {
      spec
        .given(historyOf.Active)
        .when(updateProfile({ firstName: ' Anna ', lastName: 'Lee', phone: '+1 555 0199' }))
        .then([
          { type: 'CustomerProfileUpdated', data: { firstName: 'Anna', phone: '+1 555 0199', updatedAt: clock.now } },
        ]);
    });

    it('records nothing when nothing changes', () => {
      spec.given(historyOf.Active).when(updateProfile({ firstName: 'Ann', phone: '+1 555 0100' })).thenNothingHappens();
    });

    it.each(['firstName', 'lastName'] as const)('rejects a provided %s that is blank', (field) => {
      spec
        .given(historyOf.Active)
        .when(updateProfile({ [field]: ' ' }))
        .thenThrows(BlankCustomerNameError, { details: { field } });
    });
  });

  describe('ChangeEmail', () => {
    it('changes to a new address, normalized, recording the old one', () => {
      spec
        .given(historyOf.Active)
        .when(changeEmail(' Ann.Lee@Example.org'))
        .then([
          {
            type: 'CustomerEmailChanged',
            data: { oldEmail: 'ann@example.com', newEmail: 'ann.lee@example.org', changedAt: clock.now },
          },
        ]);
    });

    it('succeeds with no event when the address is the current one, in any spelling', () => {
      spec.given(historyOf.Active).when(changeEmail('ann@example.com')).thenNothingHappens();
      spec.given(historyOf.Active).when(changeEmail('  ANN@example.com ')).thenNothingHappens();
    });

    it('rejects an invalid address', () => {
      spec.given(historyOf.Active).when(changeEmail('ann-at-example.com')).thenThrows(InvalidEmailError);
    });
  });

  describe('ChangePhone', () => {
    it('changes the phone, recording the old one', () => {
      spec
        .given(historyOf.Active)
        .when(changePhone('+44 20 7946 0000'))
        .then([
          {
            type: 'CustomerPhoneChanged',
            data: { oldPhone: '+1 555 0100', newPhone: '+44 20 7946 0000', changedAt: clock.now },
          },
        ]);
    });

    it('sets a first phone with no old one', () => {
      const { phone: _phone, ...withoutPhone } = customerRegistered.data;
      const registeredWithoutPhone: CustomerEvent = { type: 'CustomerRegistered', data: withoutPhone };
      spec
        .given([registeredWithoutPhone])
        .when(changePhone('555 0101'))
        .then([{ type: 'CustomerPhoneChanged', data: { newPhone: '555 0101', changedAt: clock.now } }]);
    });

    it('records nothing when the phone is the current one', () => {
      spec.given(historyOf.Active).when(changePhone('+1 555 0100')).thenNothingHappens();
    });
  });

  describe('AddAddress', () => {
    it.each([true, false])('adds an address (setAsDefault: %s)', (setAsDefault) => {
      spec
        .given(historyOf.Active)
        .when(addAddress(newAddressId, setAsDefault))
        .then([
          {
            type: 'CustomerAddressAdded',
            data: { addressId: newAddressId, address: workAddress, isDefault: setAsDefault, addedAt: clock.now },
          },
        ]);
    });

    it('rejects an address id that already exists', () => {
      spec
        .given(historyOf.Active)
        .when(addAddress(homeAddressId))
        .thenThrows(AddressAlreadyExistsError, {
          type: 'customer-address-already-exists',
          status: 409,
          details: { addressId: homeAddressId },
        });
    });
  });

  describe('UpdateAddress and RemoveAddress', () => {
    it('updates an existing address', () => {
      spec
        .given(historyOf.Active)
        .when(updateAddress(homeAddressId))
        .then([
          {
            type: 'CustomerAddressUpdated',
            data: { addressId: homeAddressId, address: workAddress, updatedAt: clock.now },
          },
        ]);
    });

    it('removes an existing address', () => {
      spec
        .given(historyOf.Active)
        .when(removeAddress(workAddressId))
        .then([{ type: 'CustomerAddressRemoved', data: { addressId: workAddressId, removedAt: clock.now } }]);
    });

    it.each([
      ['UpdateAddress', updateAddress(newAddressId)],
      ['RemoveAddress', removeAddress(newAddressId)],
    ])('%s rejects an unknown address id', (_type, unknownAddressCommand) => {
      spec
        .given(historyOf.Active)
        .when(unknownAddressCommand)
        .thenThrows(AddressNotFoundError, {
          type: 'customer-address-not-found',
          status: 404,
          details: { addressId: newAddressId },
        });
    });
  });

  describe('AddPaymentMethod', () => {
    it.each([true, false])('adds a payment method (setAsDefault: %s)', (setAsDefault) => {
      spec
        .given(historyOf.Active)
        .when(addPaymentMethod(newPaymentMethodId, '9876', setAsDefault))
        .then([
          {
            type: 'CustomerPaymentMethodAdded',
            data: {
              paymentMethod: { id: newPaymentMethodId, type: 'DebitCard', lastFour: '9876', isDefault: setAsDefault },
              addedAt: clock.now,
            },
          },
        ]);
    });

    it('rejects a payment method id that already exists', () => {
      spec
        .given(historyOf.Active)
        .when(addPaymentMethod(cardId))
        .thenThrows(PaymentMethodAlreadyExistsError, {
          type: 'customer-payment-method-already-exists',
          status: 409,
          details: { paymentMethodId: cardId },
        });
    });

    it.each(['123', '12345', 'abcd', '12 4', ''])('rejects lastFour %j (exactly 4 digits)', (lastFour) => {
      spec
        .given(historyOf.Active)
        .when(addPaymentMethod(newPaymentMethodId, lastFour))
        .thenThrows(InvalidLastFourError, { type: 'customer-payment-method-last-four-invalid', status: 400 });
    });
  });

  describe('RemovePaymentMethod', () => {
    it('removes a payment method that is not the default', () => {
      spec
        .given(historyOf.Active)
        .when(removePaymentMethod(walletId))
        .then([{ type: 'CustomerPaymentMethodRemoved', data: { paymentMethodId: walletId, removedAt: clock.now } }]);
    });

    it('refuses to remove the default while other payment methods exist', () => {
      spec
        .given(historyOf.Active)
        .when(removePaymentMethod(cardId))
        .thenThrows(CannotRemoveDefaultPaymentMethodError, {
          type: 'customer-cannot-remove-default-payment-method',
          status: 409,
          details: { paymentMethodId: cardId },
        });
    });

    it('removes the default when it is the only payment method', () => {
      spec
        .given([customerRegistered, cardAddedAsDefault])
        .when(removePaymentMethod(cardId))
        .then([{ type: 'CustomerPaymentMethodRemoved', data: { paymentMethodId: cardId, removedAt: clock.now } }]);
    });

    it('rejects an unknown payment method id', () => {
      spec
        .given(historyOf.Active)
        .when(removePaymentMethod(newPaymentMethodId))
        .thenThrows(PaymentMethodNotFoundError, {
          type: 'customer-payment-method-not-found',
          status: 404,
          details: { paymentMethodId: newPaymentMethodId },
        });
    });
  });

  describe('UpgradeTier', () => {
    it.each<[CustomerTier, CustomerTier]>([
      ['Bronze', 'Silver'],
      ['Bronze', 'Platinum'],
      ['Silver', 'Gold'],
      ['Gold', 'Platinum'],
    ])('upgrades %s to %s', (from, to) => {
      const history = from === 'Bronze' ? historyOf.Active : [...historyOf.Active, tierUpgraded('Bronze', from)];
      spec.given(history).when(upgradeTier(to)).then([tierUpgraded(from, to)]);
    });

    it.each<[CustomerTier, CustomerTier]>([
      ['Bronze', 'Bronze'],
      ['Gold', 'Gold'],
      ['Gold', 'Silver'],
      ['Platinum', 'Bronze'],
    ])('rejects %s to %s: the new tier must be strictly higher', (from, to) => {
      const history = from === 'Bronze' ? historyOf.Active : [...historyOf.Active, tierUpgraded('Bronze', from)];
      spec
        .given(history)
        .when(upgradeTier(to))
        .thenThrows(TierDowngradeNotAllowedError, {
          type: 'customer-tier-downgrade-not-allowed',
          status: 409,
          details: { currentTier: from, requestedTier: to },
        });
    });
  });

  describe('SuspendCustomer, ReactivateCustomer, DeactivateCustomer', () => {
    it('suspends an Active customer', () => {
      spec
        .given(historyOf.Active)
        .when(suspend)
        .then([{ type: 'CustomerSuspended', data: { reason: 'fraud check', suspendedAt: clock.now } }]);
    });

    it('rejects suspending a Suspended customer as already suspended', () => {
      spec
        .given(historyOf.Suspended)
        .when(suspend)
        .thenThrows(CustomerAlreadySuspendedError, { type: 'customer-already-suspended', status: 409 });
    });

    it('rejects suspending a Deactivated customer as already deactivated', () => {
      spec
        .given(historyOf.Deactivated)
        .when(suspend)
        .thenThrows(CustomerAlreadyDeactivatedError, { type: 'customer-already-deactivated', status: 409 });
    });

    it('reactivates a Suspended customer, with or without notes', () => {
      spec
        .given(historyOf.Suspended)
        .when(reactivate('paid'))
        .then([{ type: 'CustomerReactivated', data: { notes: 'paid', reactivatedAt: clock.now } }]);
      spec
        .given(historyOf.Suspended)
        .when(reactivate())
        .then([{ type: 'CustomerReactivated', data: { reactivatedAt: clock.now } }]);
    });

    it.each(['Active', 'Deactivated'] as const)('rejects reactivating a %s customer as not suspended', (status) => {
      spec
        .given(historyOf[status])
        .when(reactivate())
        .thenThrows(CustomerNotSuspendedError, { type: 'customer-not-suspended', status: 409, details: { status } });
    });

    it.each(['Active', 'Suspended'] as const)('deactivates a %s customer', (status) => {
      spec
        .given(historyOf[status])
        .when(deactivate)
        .then([{ type: 'CustomerDeactivated', data: { reason: 'closed by request', deactivatedAt: clock.now } }]);
    });

    it('rejects deactivating a Deactivated customer as already deactivated', () => {
      spec.given(historyOf.Deactivated).when(deactivate).thenThrows(CustomerAlreadyDeactivatedError);
    });
  });

  describe('commands that need an Active customer', () => {
    const activeOnlyCommands: CustomerCommand[] = [
      updateProfile({ firstName: 'Anna' }),
      changeEmail('new@example.com'),
      changePhone('555 0199'),
      addAddress(newAddressId),
      updateAddress(homeAddressId),
      removeAddress(homeAddressId),
      addPaymentMethod(newPaymentMethodId),
      removePaymentMethod(walletId),
      upgradeTier('Gold'),
    ];
    const cases = (['Suspended', 'Deactivated'] as const).flatMap((status) =>
      activeOnlyCommands.map((activeOnly): [string, typeof status, CustomerCommand] => [
        activeOnly.type,
        status,
        activeOnly,
      ]),
    );

    it.each(cases)('%s is rejected for a %s customer', (_type, status, activeOnly) => {
      spec
        .given(historyOf[status])
        .when(activeOnly)
        .thenThrows(CustomerNotActiveError, { type: 'customer-not-active', status: 409, details: { status } });
    });
  });

  it.each<CustomerCommand>([
    updateProfile({ firstName: 'Anna' }),
    changeEmail('new@example.com'),
    changePhone('555 0199'),
    addAddress(newAddressId),
    updateAddress(homeAddressId),
    removeAddress(homeAddressId),
    addPaymentMethod(newPaymentMethodId),
    removePaymentMethod(walletId),
    upgradeTier('Gold'),
    suspend,
    reactivate(),
    deactivate,
  ])('rejects $type on a customer that does not exist with 404', (anyCommand) => {
    spec.given([]).when(anyCommand).thenThrows(CustomerNotFoundError, { type: 'customer-not-found', status: 404 });
  });
});

describe('Customer evolve and replay', () => {
  it('starts with no customer', () => {
    expect(customerDecider.initialState()).toBeNull();
  });

  it('makes a new customer Active and Bronze, with its real id and registration time', () => {
    expect(replay(customerDecider, [customerRegistered])).toEqual({
      id: customerId,
      email: 'ann@example.com',
      firstName: 'Ann',
      lastName: 'Lee',
      phone: '+1 555 0100',
      status: 'Active',
      tier: 'Bronze',
      addresses: [],
      paymentMethods: [],
      registeredAt: clock.registered,
      updatedAt: clock.registered,
    });
  });

  it('keeps addresses and payment methods with their default flags', () => {
    const customer = replay(customerDecider, historyOf.Active);
    expect(customer?.addresses).toEqual([
      { id: homeAddressId, ...homeAddress, isDefault: true },
      { id: workAddressId, ...workAddress, isDefault: false },
    ]);
    expect(customer?.paymentMethods).toEqual([
      { id: cardId, type: 'CreditCard', lastFour: '4242', isDefault: true },
      { id: walletId, type: 'DigitalWallet', lastFour: '0005', isDefault: false },
    ]);
    expect(customer?.updatedAt).toEqual(clock.walletAdded);
  });

  it('removing the default address clears the default', () => {
    const removed: CustomerEvent = {
      type: 'CustomerAddressRemoved',
      data: { addressId: homeAddressId, removedAt: clock.now },
    };
    const customer = replay(customerDecider, [...historyOf.Active, removed]);
    expect(customer?.addresses).toEqual([{ id: workAddressId, ...workAddress, isDefault: false }]);
    expect(customer?.addresses.some((address) => address.isDefault)).toBe(false);
  });

  it('a new default address replaces the old default', () => {
    const customer = replay(customerDecider, [
      customerRegistered,
      homeAddressAddedAsDefault,
      { ...workAddressAdded, data: { ...workAddressAdded.data, isDefault: true } },
    ]);
    expect(customer?.addresses.map(({ id, isDefault }) => [id, isDefault])).toEqual([
      [homeAddressId, false],
      [workAddressId, true],
    ]);
  });

  it('a new default payment method replaces the old default', () => {
    const newDefault: CustomerEvent = {
      type: 'CustomerPaymentMethodAdded',
      data: {
        paymentMethod: { id: newPaymentMethodId, type: 'BankAccount', lastFour: '7777', isDefault: true },
        addedAt: clock.now,
      },
    };
    const customer = replay(customerDecider, [...historyOf.Active, newDefault]);
    expect(customer?.paymentMethods.filter((method) => method.isDefault).map((method) => method.id)).toEqual([
      newPaymentMethodId,
    ]);
  });

  it('adding a payment method that is not the default leaves the default alone', () => {
    const customer = replay(customerDecider, [customerRegistered, cardAddedAsDefault, walletAdded]);
    expect(customer?.paymentMethods.find((method) => method.isDefault)?.id).toBe(cardId);
  });

  it('an address update keeps the id and the default flag', () => {
    const updated: CustomerEvent = {
      type: 'CustomerAddressUpdated',
      data: { addressId: homeAddressId, address: workAddress, updatedAt: clock.now },
    };
    const customer = replay(customerDecider, [...historyOf.Active, updated]);
    expect(customer?.addresses[0]).toEqual({ id: homeAddressId, ...workAddress, isDefault: true });
  });

  it('applies profile, email, phone and tier changes, taking updatedAt from the last event', () => {
    const customer = replay(customerDecider, [
      customerRegistered,
      { type: 'CustomerProfileUpdated', data: { lastName: 'Park', updatedAt: clock.homeAdded } },
      {
        type: 'CustomerEmailChanged',
        data: { oldEmail: 'ann@example.com', newEmail: 'ann@park.example', changedAt: clock.workAdded },
      },
      {
        type: 'CustomerPhoneChanged',
        data: { oldPhone: '+1 555 0100', newPhone: '555 0199', changedAt: clock.cardAdded },
      },
      tierUpgraded('Bronze', 'Gold', clock.walletAdded),
    ]);
    expect(customer).toMatchObject({
      firstName: 'Ann',
      lastName: 'Park',
      email: 'ann@park.example',
      phone: '555 0199',
      tier: 'Gold',
      registeredAt: clock.registered,
      updatedAt: clock.walletAdded,
    });
  });

  it('moves through Suspended back to Active, and ends Deactivated', () => {
    const reactivated: CustomerEvent = { type: 'CustomerReactivated', data: { reactivatedAt: clock.now } };
    expect(replay(customerDecider, historyOf.Suspended)?.status).toBe('Suspended');
    expect(replay(customerDecider, [...historyOf.Suspended, reactivated])).toMatchObject({
      status: 'Active',
      updatedAt: clock.now,
    });
    expect(replay(customerDecider, [...historyOf.Suspended, customerDeactivated])?.status).toBe('Deactivated');
  });

  it('lists the tiers from lowest to highest', () => {
    expect(customerTiers).toEqual(['Bronze', 'Silver', 'Gold', 'Platinum']);
  });

  describe('determinism', () => {
    afterEach(() => jest.useRealTimers());

    it('gives the same state for the same events, whatever the wall clock says', () => {
      const history = [...historyOf.Active, customerSuspended];
      jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') });
      const first = replay(customerDecider, history);
      jest.setSystemTime(new Date('2031-06-15T00:00:00Z'));
      const second = replay(customerDecider, history);
      expect(second).toEqual(first);
      expect(second?.registeredAt).toEqual(clock.registered);
      expect(second?.updatedAt).toEqual(clock.suspended);
    });
  });

  it('refuses a history that does not start with CustomerRegistered', () => {
    expect(() => replay(customerDecider, [customerSuspended])).toThrow(CorruptEventHistoryError);
  });
});
