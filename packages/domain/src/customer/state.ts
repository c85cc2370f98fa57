export const customerAggregateType = 'Customer';

export const customerStatuses = ['Active', 'Suspended', 'Deactivated'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];

/** Ordered from lowest to highest: a tier may only move up this list. */
export const customerTiers = ['Bronze', 'Silver', 'Gold', 'Platinum'] as const;
export type CustomerTier = (typeof customerTiers)[number];

export const isHigherTier = (candidate: CustomerTier, current: CustomerTier): boolean =>
  customerTiers.indexOf(candidate) > customerTiers.indexOf(current);

export const paymentMethodTypes = ['CreditCard', 'DebitCard', 'BankAccount', 'DigitalWallet'] as const;
export type PaymentMethodType = (typeof paymentMethodTypes)[number];

export interface PostalAddress {
  readonly street: string;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
}

export interface CustomerAddress extends PostalAddress {
  readonly id: string;
  readonly isDefault: boolean;
}

export interface PaymentMethod {
  readonly id: string;
  readonly type: PaymentMethodType;
  readonly lastFour: string;
  readonly isDefault: boolean;
}

/**
 * A customer rebuilt from its events; timestamps come from the events, so replay is deterministic. At most one
 * address and one payment method have `isDefault` set (evolve clears the previous default). The stream version
 * is not kept here: the store knows it, and the command handler passes it to the conditional append.
 */
export interface Customer {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly phone?: string;
  readonly status: CustomerStatus;
  readonly tier: CustomerTier;
  readonly addresses: readonly CustomerAddress[];
  readonly paymentMethods: readonly PaymentMethod[];
  readonly registeredAt: Date;
  readonly updatedAt: Date;
}

/** `null` until `CustomerRegistered`: the customer does not exist yet. */
export type CustomerState = Customer | null;

export const initialCustomerState = (): CustomerState => null;
