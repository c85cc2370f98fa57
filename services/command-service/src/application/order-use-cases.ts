import type { CommandHandler } from '@scylla-es/es-core';
import type { CreateOrderPayload, OrderCommand, OrderingCustomer } from '@scylla-es/domain';
import type { Aggregates } from './aggregates';
import { handleOptionsOf, outcomeOf, type CommandContext, type CommandOutcome } from './command-context';
import { ForeignStreamError } from './foreign-stream';

export interface OrderUseCaseDependencies {
  readonly handler: CommandHandler;
  readonly aggregates: Aggregates;
}

/**
 * Creates an order. The decider judges the customer (unknown or inactive → 422); reading it is I/O, so it
 * happens here. An order id that already names a customer is the handler's rule violation, not a 404.
 */
export async function createOrder(
  { handler, aggregates }: OrderUseCaseDependencies,
  orderId: string,
  payload: Omit<CreateOrderPayload, 'orderId'>,
  context: CommandContext,
): Promise<CommandOutcome> {
  const customerId = payload.customerId.toLowerCase();
  const customer = await orderingCustomer({ handler, aggregates }, customerId);
  const command: Extract<OrderCommand, { type: 'CreateOrder' }> = {
    type: 'CreateOrder',
    data: { orderId, customerId, items: payload.items, customer },
    metadata: { now: context.now },
  };
  return outcomeOf(orderId, await handler.handle(aggregates.order, orderId, command, handleOptionsOf(context)));
}

async function orderingCustomer({ handler, aggregates }: OrderUseCaseDependencies, customerId: string): Promise<OrderingCustomer | null> {
  try {
    const { state } = await handler.load(aggregates.customer, customerId);
    return state === null ? null : { status: state.status };
  } catch (error) {
    // The id names an order (or another kind of stream): no customer by that id.
    if (error instanceof ForeignStreamError) return null;
    throw error;
  }
}
