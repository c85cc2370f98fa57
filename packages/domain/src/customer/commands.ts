import { z } from 'zod';
import type { Command } from '../shared/command';
import { nonBlankText } from '../shared/schemas';
import { emailInputSchema } from './email';
import { customerTiers, paymentMethodTypes } from './state';

// Payload schemas: the JSON bodies the REST edge accepts. Strict, so a misspelt field is an error, not ignored.

const personNameSchema = nonBlankText(100);

/** 3 to 20 digits, optionally led by `+` and separated by spaces, dots, dashes or parentheses. */
const phoneSchema = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?(?:[\s().-]*\d){3,20}[\s().-]*$/, 'a phone number: digits with optional +, spaces, dots, dashes, ()');

export const lastFourPattern = /^\d{4}$/;

export const postalAddressInputSchema = z.strictObject({
  street: nonBlankText(200),
  city: nonBlankText(100),
  state: nonBlankText(100),
  postalCode: nonBlankText(20),
  country: nonBlankText(100),
});

export const registerCustomerPayloadSchema = z.strictObject({
  customerId: z.uuid().optional(),
  email: emailInputSchema,
  firstName: personNameSchema,
  lastName: personNameSchema,
  phone: phoneSchema.optional(),
});

export const updateCustomerProfilePayloadSchema = z
  .strictObject({
    firstName: personNameSchema.optional(),
    lastName: personNameSchema.optional(),
    phone: phoneSchema.optional(),
  })
  .refine((profile) => Object.values(profile).some((value) => value !== undefined), {
    message: 'give at least one of firstName, lastName, phone',
  });

export const changeCustomerEmailPayloadSchema = z.strictObject({ email: emailInputSchema });

export const changeCustomerPhonePayloadSchema = z.strictObject({ phone: phoneSchema });

export const addCustomerAddressPayloadSchema = z.strictObject({
  addressId: z.uuid(),
  address: postalAddressInputSchema,
  setAsDefault: z.boolean().default(false),
});

export const updateCustomerAddressPayloadSchema = z.strictObject({
  addressId: z.uuid(),
  address: postalAddressInputSchema,
});

export const removeCustomerAddressPayloadSchema = z.strictObject({ addressId: z.uuid() });

export const addPaymentMethodPayloadSchema = z.strictObject({
  paymentMethodId: z.uuid(),
  type: z.enum(paymentMethodTypes),
  lastFour: z.string().regex(lastFourPattern, 'exactly 4 digits'),
  setAsDefault: z.boolean().default(false),
});

export const removePaymentMethodPayloadSchema = z.strictObject({ paymentMethodId: z.uuid() });

export const upgradeCustomerTierPayloadSchema = z.strictObject({ tier: z.enum(customerTiers) });

export const suspendCustomerPayloadSchema = z.strictObject({ reason: nonBlankText(500) });

export const reactivateCustomerPayloadSchema = z.strictObject({ notes: nonBlankText(1000).optional() });

export const deactivateCustomerPayloadSchema = z.strictObject({ reason: nonBlankText(500) });

export type RegisterCustomerPayload = z.output<typeof registerCustomerPayloadSchema>;
export type UpdateCustomerProfilePayload = z.output<typeof updateCustomerProfilePayloadSchema>;
export type ChangeCustomerEmailPayload = z.output<typeof changeCustomerEmailPayloadSchema>;
export type ChangeCustomerPhonePayload = z.output<typeof changeCustomerPhonePayloadSchema>;
export type AddCustomerAddressPayload = z.output<typeof addCustomerAddressPayloadSchema>;
export type UpdateCustomerAddressPayload = z.output<typeof updateCustomerAddressPayloadSchema>;
export type RemoveCustomerAddressPayload = z.output<typeof removeCustomerAddressPayloadSchema>;
export type AddPaymentMethodPayload = z.output<typeof addPaymentMethodPayloadSchema>;
export type RemovePaymentMethodPayload = z.output<typeof removePaymentMethodPayloadSchema>;
export type UpgradeCustomerTierPayload = z.output<typeof upgradeCustomerTierPayloadSchema>;
export type SuspendCustomerPayload = z.output<typeof suspendCustomerPayloadSchema>;
export type ReactivateCustomerPayload = z.output<typeof reactivateCustomerPayloadSchema>;
export type DeactivateCustomerPayload = z.output<typeof deactivateCustomerPayloadSchema>;

/**
 * The customer id is settled by the application layer (given by the client, or derived from the idempotency
 * key). Email uniqueness is not decided here: the application reserves the normalized address before appending.
 */
export type RegisterCustomer = Command<
  'RegisterCustomer',
  Omit<RegisterCustomerPayload, 'customerId'> & { readonly customerId: string }
>;
export type UpdateCustomerProfile = Command<'UpdateProfile', UpdateCustomerProfilePayload>;
export type ChangeCustomerEmail = Command<'ChangeEmail', ChangeCustomerEmailPayload>;
export type ChangeCustomerPhone = Command<'ChangePhone', ChangeCustomerPhonePayload>;
export type AddCustomerAddress = Command<'AddAddress', AddCustomerAddressPayload>;
export type UpdateCustomerAddress = Command<'UpdateAddress', UpdateCustomerAddressPayload>;
export type RemoveCustomerAddress = Command<'RemoveAddress', RemoveCustomerAddressPayload>;
export type AddPaymentMethod = Command<'AddPaymentMethod', AddPaymentMethodPayload>;
export type RemovePaymentMethod = Command<'RemovePaymentMethod', RemovePaymentMethodPayload>;
export type UpgradeCustomerTier = Command<'UpgradeTier', UpgradeCustomerTierPayload>;
export type SuspendCustomer = Command<'SuspendCustomer', SuspendCustomerPayload>;
export type ReactivateCustomer = Command<'ReactivateCustomer', ReactivateCustomerPayload>;
export type DeactivateCustomer = Command<'DeactivateCustomer', DeactivateCustomerPayload>;

export type CustomerCommand =
  | RegisterCustomer
  | UpdateCustomerProfile
  | ChangeCustomerEmail
  | ChangeCustomerPhone
  | AddCustomerAddress
  | UpdateCustomerAddress
  | RemoveCustomerAddress
  | AddPaymentMethod
  | RemovePaymentMethod
  | UpgradeCustomerTier
  | SuspendCustomer
  | ReactivateCustomer
  | DeactivateCustomer;
