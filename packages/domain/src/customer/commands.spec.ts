import {
  addCustomerAddressPayloadSchema,
  addPaymentMethodPayloadSchema,
  changeCustomerEmailPayloadSchema,
  changeCustomerPhonePayloadSchema,
  reactivateCustomerPayloadSchema,
  registerCustomerPayloadSchema,
  suspendCustomerPayloadSchema,
  updateCustomerProfilePayloadSchema,
  upgradeCustomerTierPayloadSchema,
} from './commands';
import { cardId, customerId, homeAddress, homeAddressId } from './test-fixtures';

const validRegistration = { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' };
const rejects = (schema: { safeParse: (input: unknown) => { success: boolean } }, input: unknown) =>
  expect(schema.safeParse(input).success).toBe(false);

describe('Customer command payload schemas', () => {
  describe('RegisterCustomer', () => {
    it('normalizes the email, trims the names and accepts an optional customerId and phone', () => {
      expect(
        registerCustomerPayloadSchema.parse({
          customerId,
          email: ' Ann@Example.COM ',
          firstName: ' Ann',
          lastName: 'Lee ',
          phone: ' +1 (555) 010-0000 ',
        }),
      ).toEqual({
        customerId,
        email: 'ann@example.com',
        firstName: 'Ann',
        lastName: 'Lee',
        phone: '+1 (555) 010-0000',
      });
      expect(registerCustomerPayloadSchema.parse(validRegistration)).toEqual(validRegistration);
    });

    it.each([
      ['an unknown key', { ...validRegistration, tier: 'Platinum' }],
      ['a bad customerId uuid', { ...validRegistration, customerId: 'customer-1' }],
      ['an invalid email', { ...validRegistration, email: 'ann.example.com' }],
      ['a blank first name', { ...validRegistration, firstName: '  ' }],
      ['an overlong last name', { ...validRegistration, lastName: 'x'.repeat(101) }],
      ['a phone with letters', { ...validRegistration, phone: 'call me' }],
      ['a phone with too few digits', { ...validRegistration, phone: '12' }],
    ])('rejects %s', (_case, payload) => rejects(registerCustomerPayloadSchema, payload));
  });

  it('UpdateProfile needs at least one field and no unknown key', () => {
    expect(updateCustomerProfilePayloadSchema.parse({ lastName: ' Park ' })).toEqual({ lastName: 'Park' });
    rejects(updateCustomerProfilePayloadSchema, {});
    rejects(updateCustomerProfilePayloadSchema, { email: 'ann@example.com' });
  });

  it('ChangeEmail normalizes and validates; ChangePhone validates', () => {
    expect(changeCustomerEmailPayloadSchema.parse({ email: 'ANN@example.com' })).toEqual({ email: 'ann@example.com' });
    rejects(changeCustomerEmailPayloadSchema, { email: 'ann@' });
    rejects(changeCustomerPhonePayloadSchema, { phone: '' });
  });

  describe('AddAddress', () => {
    it('defaults setAsDefault to false', () => {
      expect(addCustomerAddressPayloadSchema.parse({ addressId: homeAddressId, address: homeAddress })).toEqual({
        addressId: homeAddressId,
        address: homeAddress,
        setAsDefault: false,
      });
    });

    it.each([
      ['a bad addressId uuid', { addressId: 'home', address: homeAddress }],
      ['an unknown key in the address', { addressId: homeAddressId, address: { ...homeAddress, floor: 3 } }],
      ['a blank city', { addressId: homeAddressId, address: { ...homeAddress, city: ' ' } }],
      ['a missing country', { addressId: homeAddressId, address: { ...homeAddress, country: undefined } }],
    ])('rejects %s', (_case, payload) => rejects(addCustomerAddressPayloadSchema, payload));
  });

  describe('AddPaymentMethod', () => {
    const valid = { paymentMethodId: cardId, type: 'CreditCard', lastFour: '4242' };

    it('accepts exactly 4 digits and a known type', () => {
      expect(addPaymentMethodPayloadSchema.parse(valid)).toEqual({ ...valid, setAsDefault: false });
    });

    it.each([
      ['3 digits', { ...valid, lastFour: '424' }],
      ['5 digits', { ...valid, lastFour: '42424' }],
      ['letters', { ...valid, lastFour: '42a2' }],
      ['a number instead of a string', { ...valid, lastFour: 4242 }],
      ['an unknown type', { ...valid, type: 'Cash' }],
      ['a bad uuid', { ...valid, paymentMethodId: 'card-1' }],
      ['an unknown key', { ...valid, cardNumber: '4242424242424242' }],
    ])('rejects %s', (_case, payload) => rejects(addPaymentMethodPayloadSchema, payload));
  });

  it('UpgradeTier accepts only the known tiers', () => {
    expect(upgradeCustomerTierPayloadSchema.parse({ tier: 'Gold' })).toEqual({ tier: 'Gold' });
    rejects(upgradeCustomerTierPayloadSchema, { tier: 'Diamond' });
  });

  it('SuspendCustomer needs a reason; ReactivateCustomer notes are optional', () => {
    rejects(suspendCustomerPayloadSchema, {});
    rejects(suspendCustomerPayloadSchema, { reason: '   ' });
    expect(reactivateCustomerPayloadSchema.parse({})).toEqual({});
  });
});
