import {
  CustomerNotFoundError,
  customerEmailChangedDataSchema,
  normalizeEmail,
  type AddCustomerAddressPayload,
  type AddPaymentMethodPayload,
  type ChangeCustomerEmailPayload,
  type ChangeCustomerPhonePayload,
  type CustomerCommand,
  type DeactivateCustomerPayload,
  type ReactivateCustomerPayload,
  type RegisterCustomerPayload,
  type SuspendCustomerPayload,
  type UpdateCustomerAddressPayload,
  type UpdateCustomerProfilePayload,
  type UpgradeCustomerTierPayload,
} from '@scylla-es/domain';
import type { Aggregates } from './aggregates';
import { outcomeOf, type CommandContext, type CommandOutcome, type CommandRunner } from './command-runner';
import type { CustomerEmails, EmailHolderCheck } from './customer-emails';
import { ForeignStreamError } from './foreign-stream';

type CustomerCommandOf<Type extends CustomerCommand['type']> = Extract<CustomerCommand, { type: Type }>;

/** The Customer use cases; registration and email changes also keep the email unique across customers. */
export class CustomerCommands {
  constructor(
    private readonly runner: CommandRunner,
    private readonly aggregates: Aggregates,
    private readonly emails: CustomerEmails,
  ) {}

  /** Reserve the email → append → (failed) release it. */
  async register(
    customerId: string,
    payload: Omit<RegisterCustomerPayload, 'customerId'>,
    context: CommandContext,
  ): Promise<CommandOutcome> {
    const email = normalizeEmail(payload.email);
    await this.emails.reserve(email, customerId);
    const command: CustomerCommandOf<'RegisterCustomer'> = {
      type: 'RegisterCustomer',
      data: { ...payload, email, customerId },
      metadata: { now: context.now },
    };
    try {
      return outcomeOf(customerId, await this.runner.execute(this.aggregates.customer, customerId, command, context));
    } catch (error) {
      await this.emails.releaseUnlessHeld(email, customerId);
      throw error;
    }
  }

  /** Reserve the new email → append → release the old one. The current email again: 200, nothing appended. */
  async changeEmail(customerId: string, data: ChangeCustomerEmailPayload, context: CommandContext): Promise<CommandOutcome> {
    const email = normalizeEmail(data.email);
    const command: CustomerCommandOf<'ChangeEmail'> = { type: 'ChangeEmail', data: { email }, metadata: { now: context.now } };
    const current = await this.loadExisting(customerId);
    if (current.email === email) return this.onExisting(customerId, command, context);
    await this.emails.reserve(email, customerId);
    let outcome: CommandOutcome;
    let oldEmail: string | undefined;
    try {
      const result = await this.runner.execute(this.aggregates.customer, customerId, command, context);
      const changed = result.events.find((event) => event.type === 'CustomerEmailChanged');
      oldEmail = changed ? customerEmailChangedDataSchema.parse(changed.data).oldEmail : undefined;
      outcome = outcomeOf(customerId, result);
    } catch (error) {
      await this.emails.releaseUnlessHeld(email, customerId);
      throw this.notFoundIfForeign(error);
    }
    if (oldEmail !== undefined && oldEmail !== email) await this.emails.release(oldEmail, customerId);
    return outcome;
  }

  updateProfile(customerId: string, data: UpdateCustomerProfilePayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'UpdateProfile', data, metadata: { now: context.now } }, context);
  }

  changePhone(customerId: string, data: ChangeCustomerPhonePayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'ChangePhone', data, metadata: { now: context.now } }, context);
  }

  addAddress(customerId: string, data: AddCustomerAddressPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'AddAddress', data, metadata: { now: context.now } }, context);
  }

  updateAddress(customerId: string, data: UpdateCustomerAddressPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'UpdateAddress', data, metadata: { now: context.now } }, context);
  }

  removeAddress(customerId: string, addressId: string, context: CommandContext): Promise<CommandOutcome> {
    const command: CustomerCommandOf<'RemoveAddress'> = {
      type: 'RemoveAddress',
      data: { addressId },
      metadata: { now: context.now },
    };
    return this.onExisting(customerId, command, context);
  }

  addPaymentMethod(customerId: string, data: AddPaymentMethodPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'AddPaymentMethod', data, metadata: { now: context.now } }, context);
  }

  removePaymentMethod(customerId: string, paymentMethodId: string, context: CommandContext): Promise<CommandOutcome> {
    const command: CustomerCommandOf<'RemovePaymentMethod'> = {
      type: 'RemovePaymentMethod',
      data: { paymentMethodId },
      metadata: { now: context.now },
    };
    return this.onExisting(customerId, command, context);
  }

  upgradeTier(customerId: string, data: UpgradeCustomerTierPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'UpgradeTier', data, metadata: { now: context.now } }, context);
  }

  suspend(customerId: string, data: SuspendCustomerPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'SuspendCustomer', data, metadata: { now: context.now } }, context);
  }

  reactivate(customerId: string, data: ReactivateCustomerPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'ReactivateCustomer', data, metadata: { now: context.now } }, context);
  }

  deactivate(customerId: string, data: DeactivateCustomerPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(customerId, { type: 'DeactivateCustomer', data, metadata: { now: context.now } }, context);
  }

  private async loadExisting(customerId: string) {
    try {
      const { state } = await this.runner.load(this.aggregates.customer, customerId);
      if (state === null) throw new CustomerNotFoundError();
      return state;
    } catch (error) {
      throw this.notFoundIfForeign(error);
    }
  }

  private async onExisting(customerId: string, command: CustomerCommand, context: CommandContext): Promise<CommandOutcome> {
    try {
      return outcomeOf(customerId, await this.runner.execute(this.aggregates.customer, customerId, command, context));
    } catch (error) {
      throw this.notFoundIfForeign(error);
    }
  }

  private notFoundIfForeign(error: unknown): unknown {
    return error instanceof ForeignStreamError ? new CustomerNotFoundError() : error;
  }
}

/** For the email reservation: does this customer exist with exactly this (normalized) email? */
export function customerHoldsEmail(runner: CommandRunner, aggregates: Aggregates): EmailHolderCheck {
  return async (customerId, normalizedEmail) => {
    try {
      const { state } = await runner.load(aggregates.customer, customerId);
      return state !== null && state.email === normalizedEmail;
    } catch (error) {
      if (error instanceof ForeignStreamError) return false;
      throw error;
    }
  };
}
