import { EventUpcasting, type AggregateDefinition } from '@scylla-es/es-core';
import {
  customerAggregateType,
  customerDecider,
  customerEventDefinitions,
  customerSnapshotSchema,
  customerStateVersion,
  customerUpcasters,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
} from './customer';
import {
  orderAggregateType,
  orderDecider,
  orderEventDefinitions,
  orderSnapshotSchema,
  orderStateVersion,
  orderUpcasters,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
} from './order';

export const ORDER_TOPIC = 'orders.events';
export const CUSTOMER_TOPIC = 'customers.events';

export type OrderAggregate = AggregateDefinition<OrderCommand, OrderEvent, OrderState>;
export type CustomerAggregate = AggregateDefinition<CustomerCommand, CustomerEvent, CustomerState>;

/** Order as an es-core aggregate: its decider, events with upcasters, topic and snapshot policy. */
export function orderAggregate(snapshotEvery = 100): OrderAggregate {
  return {
    aggregateType: orderAggregateType,
    topic: ORDER_TOPIC,
    decider: orderDecider,
    events: new EventUpcasting(orderEventDefinitions, orderUpcasters),
    exists: (state) => state !== null,
    snapshots: { every: snapshotEvery, stateVersion: orderStateVersion, schema: orderSnapshotSchema },
  };
}

/** Customer as an es-core aggregate: its decider, events with upcasters, topic and snapshot policy. */
export function customerAggregate(snapshotEvery = 100): CustomerAggregate {
  return {
    aggregateType: customerAggregateType,
    topic: CUSTOMER_TOPIC,
    decider: customerDecider,
    events: new EventUpcasting(customerEventDefinitions, customerUpcasters),
    exists: (state) => state !== null,
    snapshots: { every: snapshotEvery, stateVersion: customerStateVersion, schema: customerSnapshotSchema },
  };
}
