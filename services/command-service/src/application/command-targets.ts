import {
  CustomerNotFoundError,
  OrderNotFoundError,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
} from '@scylla-es/domain';
import type { Aggregates } from './aggregates';
import type { CommandTarget } from './send-command';

export type OrderTarget = CommandTarget<OrderCommand, OrderEvent, OrderState>;
export type CustomerTarget = CommandTarget<CustomerCommand, CustomerEvent, CustomerState>;

export interface CommandTargets {
  readonly order: OrderTarget;
  readonly customer: CustomerTarget;
}

/** Order and Customer as command targets: a stream of the other type answers the aggregate's own 404. */
export const commandTargetsOf = (aggregates: Aggregates): CommandTargets => ({
  order: { definition: aggregates.order, notFound: () => new OrderNotFoundError() },
  customer: { definition: aggregates.customer, notFound: () => new CustomerNotFoundError() },
});
