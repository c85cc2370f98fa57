import type { EventTypeDefinition } from '@scylla-es/es-core';
import { z } from 'zod';
import { timestampSchema, type EventFromSchema } from '../shared/schemas';
import { customerTiers, paymentMethodTypes } from './state';

// Event data schemas validate what is written and what is read back. They check structure only, not the command
// limits (text length, phone format): a limit changed later must not make stored history unreadable.

const postalAddressDataSchema = z.object({
  street: z.string(),
  city: z.string(),
  state: z.string(),
  postalCode: z.string(),
  country: z.string(),
});

const tierSchema = z.enum(customerTiers);

export const customerRegisteredDataSchema = z.object({
  customerId: z.uuid(),
  email: z.string().min(1),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  phone: z.string().optional(),
  registeredAt: timestampSchema,
});

/** Carries only the fields that changed. */
export const customerProfileUpdatedDataSchema = z.object({
  firstName: z.string().min(1).optional(),
  lastName: z.string().min(1).optional(),
  phone: z.string().optional(),
  updatedAt: timestampSchema,
});

export const customerEmailChangedDataSchema = z.object({
  oldEmail: z.string().min(1),
  newEmail: z.string().min(1),
  changedAt: timestampSchema,
});

export const customerPhoneChangedDataSchema = z.object({
  oldPhone: z.string().optional(),
  newPhone: z.string(),
  changedAt: timestampSchema,
});

export const customerAddressAddedDataSchema = z.object({
  addressId: z.uuid(),
  address: postalAddressDataSchema,
  isDefault: z.boolean(),
  addedAt: timestampSchema,
});

export const customerAddressUpdatedDataSchema = z.object({
  addressId: z.uuid(),
  address: postalAddressDataSchema,
  updatedAt: timestampSchema,
});

export const customerAddressRemovedDataSchema = z.object({
  addressId: z.uuid(),
  removedAt: timestampSchema,
});

export const customerPaymentMethodAddedDataSchema = z.object({
  paymentMethod: z.object({
    id: z.uuid(),
    type: z.enum(paymentMethodTypes),
    lastFour: z.string(),
    isDefault: z.boolean(),
  }),
  addedAt: timestampSchema,
});

export const customerPaymentMethodRemovedDataSchema = z.object({
  paymentMethodId: z.uuid(),
  removedAt: timestampSchema,
});

export const customerTierUpgradedDataSchema = z.object({
  oldTier: tierSchema,
  newTier: tierSchema,
  upgradedAt: timestampSchema,
});

export const customerSuspendedDataSchema = z.object({
  reason: z.string(),
  suspendedAt: timestampSchema,
});

export const customerReactivatedDataSchema = z.object({
  notes: z.string().optional(),
  reactivatedAt: timestampSchema,
});

export const customerDeactivatedDataSchema = z.object({
  reason: z.string(),
  deactivatedAt: timestampSchema,
});

export type CustomerRegistered = EventFromSchema<'CustomerRegistered', typeof customerRegisteredDataSchema>;
export type CustomerProfileUpdated = EventFromSchema<'CustomerProfileUpdated', typeof customerProfileUpdatedDataSchema>;
export type CustomerEmailChanged = EventFromSchema<'CustomerEmailChanged', typeof customerEmailChangedDataSchema>;
export type CustomerPhoneChanged = EventFromSchema<'CustomerPhoneChanged', typeof customerPhoneChangedDataSchema>;
export type CustomerAddressAdded = EventFromSchema<'CustomerAddressAdded', typeof customerAddressAddedDataSchema>;
export type CustomerAddressUpdated = EventFromSchema<'CustomerAddressUpdated', typeof customerAddressUpdatedDataSchema>;
export type CustomerAddressRemoved = EventFromSchema<'CustomerAddressRemoved', typeof customerAddressRemovedDataSchema>;
export type CustomerPaymentMethodAdded = EventFromSchema<
  'CustomerPaymentMethodAdded',
  typeof customerPaymentMethodAddedDataSchema
>;
export type CustomerPaymentMethodRemoved = EventFromSchema<
  'CustomerPaymentMethodRemoved',
  typeof customerPaymentMethodRemovedDataSchema
>;
export type CustomerTierUpgraded = EventFromSchema<'CustomerTierUpgraded', typeof customerTierUpgradedDataSchema>;
export type CustomerSuspended = EventFromSchema<'CustomerSuspended', typeof customerSuspendedDataSchema>;
export type CustomerReactivated = EventFromSchema<'CustomerReactivated', typeof customerReactivatedDataSchema>;
export type CustomerDeactivated = EventFromSchema<'CustomerDeactivated', typeof customerDeactivatedDataSchema>;

export type CustomerEvent =
  | CustomerRegistered
  | CustomerProfileUpdated
  | CustomerEmailChanged
  | CustomerPhoneChanged
  | CustomerAddressAdded
  | CustomerAddressUpdated
  | CustomerAddressRemoved
  | CustomerPaymentMethodAdded
  | CustomerPaymentMethodRemoved
  | CustomerTierUpgraded
  | CustomerSuspended
  | CustomerReactivated
  | CustomerDeactivated;

export type CustomerEventType = CustomerEvent['type'];

/** The schema version written today for each event type, keyed by type so that forgetting one fails to compile. */
const customerEventSchemas: { readonly [Type in CustomerEventType]: Omit<EventTypeDefinition, 'type'> } = {
  CustomerRegistered: { schemaVersion: 1, schema: customerRegisteredDataSchema },
  CustomerProfileUpdated: { schemaVersion: 1, schema: customerProfileUpdatedDataSchema },
  CustomerEmailChanged: { schemaVersion: 1, schema: customerEmailChangedDataSchema },
  CustomerPhoneChanged: { schemaVersion: 1, schema: customerPhoneChangedDataSchema },
  CustomerAddressAdded: { schemaVersion: 1, schema: customerAddressAddedDataSchema },
  CustomerAddressUpdated: { schemaVersion: 1, schema: customerAddressUpdatedDataSchema },
  CustomerAddressRemoved: { schemaVersion: 1, schema: customerAddressRemovedDataSchema },
  CustomerPaymentMethodAdded: { schemaVersion: 1, schema: customerPaymentMethodAddedDataSchema },
  CustomerPaymentMethodRemoved: { schemaVersion: 1, schema: customerPaymentMethodRemovedDataSchema },
  CustomerTierUpgraded: { schemaVersion: 1, schema: customerTierUpgradedDataSchema },
  CustomerSuspended: { schemaVersion: 1, schema: customerSuspendedDataSchema },
  CustomerReactivated: { schemaVersion: 1, schema: customerReactivatedDataSchema },
  CustomerDeactivated: { schemaVersion: 1, schema: customerDeactivatedDataSchema },
};

export const customerEventDefinitions: readonly EventTypeDefinition[] = Object.entries(customerEventSchemas).map(
  ([type, definition]) => ({ type, ...definition }),
);
