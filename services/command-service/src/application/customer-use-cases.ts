import type { CommandHandler } from '@scylla-es/es-core';
import {
  customerEmailChangedDataSchema,
  normalizeEmail,
  type ChangeCustomerEmailPayload,
  type CustomerCommand,
  type RegisterCustomerPayload,
} from '@scylla-es/domain';
import type { Aggregates } from './aggregates';
import { handleOptionsOf, outcomeOf, type CommandContext, type CommandOutcome } from './command-context';
import type { CommandTargets } from './command-targets';
import type { CustomerEmails, EmailHolderCheck } from './customer-emails';
import { ForeignStreamError } from './foreign-stream';
import { sendCommand } from './send-command';

type CustomerCommandOf<Type extends CustomerCommand['type']> = Extract<CustomerCommand, { type: Type }>;

export interface CustomerUseCaseDependencies {
  readonly handler: CommandHandler;
  readonly targets: CommandTargets;
  readonly emails: CustomerEmails;
}

/** Reserve the email → append → (failed) release it. */
export async function registerCustomer(
  { handler, targets, emails }: CustomerUseCaseDependencies,
  customerId: string,
  payload: Omit<RegisterCustomerPayload, 'customerId'>,
  context: CommandContext,
): Promise<CommandOutcome> {
  const email = normalizeEmail(payload.email);
  await emails.reserve(email, customerId);
  const command: CustomerCommandOf<'RegisterCustomer'> = {
    type: 'RegisterCustomer',
    data: { ...payload, email, customerId },
    metadata: { now: context.now },
  };
  try {
    return outcomeOf(customerId, await handler.handle(targets.customer.definition, customerId, command, handleOptionsOf(context)));
  } catch (error) {
    await emails.releaseUnlessHeld(email, customerId);
    throw error;
  }
}

/** Reserve the new email → append → release the old one. The current email again: 200, nothing appended. */
export async function changeCustomerEmail(
  { handler, targets, emails }: CustomerUseCaseDependencies,
  customerId: string,
  data: ChangeCustomerEmailPayload,
  context: CommandContext,
): Promise<CommandOutcome> {
  const target = targets.customer;
  const email = normalizeEmail(data.email);
  const command: CustomerCommandOf<'ChangeEmail'> = { type: 'ChangeEmail', data: { email }, metadata: { now: context.now } };
  const current = await existingCustomer(handler, targets, customerId);
  if (current.email === email) return outcomeOf(customerId, await sendCommand(handler, target, customerId, command, context));
  await emails.reserve(email, customerId);
  let outcome: CommandOutcome;
  let oldEmail: string | undefined;
  try {
    const result = await sendCommand(handler, target, customerId, command, context);
    const changed = result.events.find((event) => event.type === 'CustomerEmailChanged');
    oldEmail = changed ? customerEmailChangedDataSchema.parse(changed.data).oldEmail : undefined;
    outcome = outcomeOf(customerId, result);
  } catch (error) {
    await emails.releaseUnlessHeld(email, customerId);
    throw error;
  }
  if (oldEmail !== undefined && oldEmail !== email) await emails.release(oldEmail, customerId);
  return outcome;
}

async function existingCustomer(handler: CommandHandler, targets: CommandTargets, customerId: string) {
  const target = targets.customer;
  try {
    const { state } = await handler.load(target.definition, customerId);
    if (state === null) throw target.notFound();
    return state;
  } catch (error) {
    throw error instanceof ForeignStreamError ? target.notFound() : error;
  }
}

/** For the email reservation: does this customer exist with exactly this (normalized) email? */
export function customerHoldsEmail(handler: CommandHandler, aggregates: Aggregates): EmailHolderCheck {
  return async (customerId, normalizedEmail) => {
    try {
      const { state } = await handler.load(aggregates.customer, customerId);
      return state !== null && state.email === normalizedEmail;
    } catch (error) {
      if (error instanceof ForeignStreamError) return false;
      throw error;
    }
  };
}
