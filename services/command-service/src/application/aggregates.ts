import type { EventUpcasting } from '@scylla-es/es-core';
import {
  customerAggregate,
  customerAggregateType,
  customerEventDefinitions,
  orderAggregate,
  orderAggregateType,
  orderEventDefinitions,
  type CustomerAggregate,
  type OrderAggregate,
} from '@scylla-es/domain';
import { guardedDecider } from './foreign-stream';

export type { CustomerAggregate, OrderAggregate };

export interface Aggregates {
  readonly order: OrderAggregate;
  readonly customer: CustomerAggregate;
  /** What the event store needs to read any stream: the upcasting of the row's aggregate type. */
  readonly upcastingFor: (aggregateType: string) => EventUpcasting;
}

const typesOf = (definitions: readonly { readonly type: string }[]): ReadonlySet<string> =>
  new Set(definitions.map((definition) => definition.type));

/** Order and Customer as es-core aggregates, with a snapshot every `snapshotEvery` events. */
export function createAggregates(snapshotEvery: number): Aggregates {
  const baseOrder = orderAggregate(snapshotEvery);
  const baseCustomer = customerAggregate(snapshotEvery);
  const order: OrderAggregate = {
    ...baseOrder,
    decider: guardedDecider(orderAggregateType, baseOrder.decider, typesOf(orderEventDefinitions)),
  };
  const customer: CustomerAggregate = {
    ...baseCustomer,
    decider: guardedDecider(customerAggregateType, baseCustomer.decider, typesOf(customerEventDefinitions)),
  };
  const byType = new Map([
    [orderAggregateType, order.events],
    [customerAggregateType, customer.events],
  ]);
  return {
    order,
    customer,
    upcastingFor: (aggregateType) => {
      const upcasting = byType.get(aggregateType);
      if (!upcasting) throw new Error(`no event definitions for aggregate type "${aggregateType}"`);
      return upcasting;
    },
  };
}
