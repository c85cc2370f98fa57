import { EventUpcasting, type AggregateDefinition } from '@scylla-es/es-core';
import {
  customerAggregateType,
  customerDecider,
  customerEventDefinitions,
  customerSnapshotSchema,
  customerStateVersion,
  customerUpcasters,
  orderAggregateType,
  orderDecider,
  orderEventDefinitions,
  orderSnapshotSchema,
  orderStateVersion,
  orderUpcasters,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
} from '@scylla-es/domain';
import { guardedDecider } from './foreign-stream';

export type OrderAggregate = AggregateDefinition<OrderCommand, OrderEvent, OrderState>;
export type CustomerAggregate = AggregateDefinition<CustomerCommand, CustomerEvent, CustomerState>;

export interface Aggregates {
  readonly order: OrderAggregate;
  readonly customer: CustomerAggregate;
  /** What the event store needs to read any stream: the upcasting of the row's aggregate type. */
  readonly upcastingFor: (aggregateType: string) => EventUpcasting;
}

export const ORDER_TOPIC = 'orders.events';
export const CUSTOMER_TOPIC = 'customers.events';

const typesOf = (definitions: readonly { readonly type: string }[]): ReadonlySet<string> =>
  new Set(definitions.map((definition) => definition.type));

/** Order and Customer as es-core aggregates, with a snapshot every `snapshotEvery` events. */
export function createAggregates(snapshotEvery: number): Aggregates {
  const orderEvents = new EventUpcasting(orderEventDefinitions, orderUpcasters);
  const customerEvents = new EventUpcasting(customerEventDefinitions, customerUpcasters);
  const order: OrderAggregate = {
    aggregateType: orderAggregateType,
    topic: ORDER_TOPIC,
    decider: guardedDecider(orderAggregateType, orderDecider, typesOf(orderEventDefinitions)),
    events: orderEvents,
    exists: (state) => state !== null,
    snapshots: { every: snapshotEvery, stateVersion: orderStateVersion, schema: orderSnapshotSchema },
  };
  const customer: CustomerAggregate = {
    aggregateType: customerAggregateType,
    topic: CUSTOMER_TOPIC,
    decider: guardedDecider(customerAggregateType, customerDecider, typesOf(customerEventDefinitions)),
    events: customerEvents,
    exists: (state) => state !== null,
    snapshots: { every: snapshotEvery, stateVersion: customerStateVersion, schema: customerSnapshotSchema },
  };
  const byType = new Map([
    [orderAggregateType, orderEvents],
    [customerAggregateType, customerEvents],
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
