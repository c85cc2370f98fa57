import {
  OrderNotFoundError,
  type CancelOrderPayload,
  type CreateOrderPayload,
  type DeliverOrderPayload,
  type OrderCommand,
  type OrderingCustomer,
  type ShipOrderPayload,
  type UpdateOrderItemsPayload,
} from '@scylla-es/domain';
import type { Aggregates } from './aggregates';
import { outcomeOf, type CommandContext, type CommandOutcome, type CommandRunner } from './command-runner';
import { ForeignStreamError } from './foreign-stream';

type OrderCommandOf<Type extends OrderCommand['type']> = Extract<OrderCommand, { type: Type }>;

/** The Order use cases: the REST edge hands in validated payloads, this layer adds what the decider needs. */
export class OrderCommands {
  constructor(
    private readonly runner: CommandRunner,
    private readonly aggregates: Aggregates,
  ) {}

  /** The decider judges the customer (unknown or inactive → 422); reading it is I/O, so it happens here. */
  async create(orderId: string, payload: Omit<CreateOrderPayload, 'orderId'>, context: CommandContext): Promise<CommandOutcome> {
    const customerId = payload.customerId.toLowerCase();
    const customer = await this.orderingCustomer(customerId);
    const command: OrderCommandOf<'CreateOrder'> = {
      type: 'CreateOrder',
      data: { orderId, customerId, items: payload.items, customer },
      metadata: { now: context.now },
    };
    return outcomeOf(orderId, await this.runner.execute(this.aggregates.order, orderId, command, context));
  }

  updateItems(orderId: string, data: UpdateOrderItemsPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(orderId, { type: 'UpdateItems', data, metadata: { now: context.now } }, context);
  }

  confirm(orderId: string, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(orderId, { type: 'ConfirmOrder', data: {}, metadata: { now: context.now } }, context);
  }

  ship(orderId: string, data: ShipOrderPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(orderId, { type: 'ShipOrder', data, metadata: { now: context.now } }, context);
  }

  deliver(orderId: string, data: DeliverOrderPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(orderId, { type: 'DeliverOrder', data, metadata: { now: context.now } }, context);
  }

  cancel(orderId: string, data: CancelOrderPayload, context: CommandContext): Promise<CommandOutcome> {
    return this.onExisting(orderId, { type: 'CancelOrder', data, metadata: { now: context.now } }, context);
  }

  private async orderingCustomer(customerId: string): Promise<OrderingCustomer | null> {
    try {
      const { state } = await this.runner.load(this.aggregates.customer, customerId);
      return state === null ? null : { status: state.status };
    } catch (error) {
      // The id names an order (or another kind of stream): no customer by that id.
      if (error instanceof ForeignStreamError) return null;
      throw error;
    }
  }

  /** A command on an order; an id that names another kind of aggregate is no order at all. */
  private async onExisting(orderId: string, command: OrderCommand, context: CommandContext): Promise<CommandOutcome> {
    try {
      return outcomeOf(orderId, await this.runner.execute(this.aggregates.order, orderId, command, context));
    } catch (error) {
      if (error instanceof ForeignStreamError) throw new OrderNotFoundError();
      throw error;
    }
  }
}
