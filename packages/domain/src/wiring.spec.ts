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
} from './index';

// The services assemble es-core's AggregateDefinition from these exports; this spec fails to compile if they drift.
describe('wiring into es-core', () => {
  it('builds the Order and Customer aggregate definitions from the public API', () => {
    const order: AggregateDefinition<OrderCommand, OrderEvent, OrderState> = {
      aggregateType: orderAggregateType,
      topic: 'orders.events',
      decider: orderDecider,
      events: new EventUpcasting(orderEventDefinitions, orderUpcasters),
      exists: (state) => state !== null,
      snapshots: { every: 100, stateVersion: orderStateVersion, schema: orderSnapshotSchema },
    };
    const customer: AggregateDefinition<CustomerCommand, CustomerEvent, CustomerState> = {
      aggregateType: customerAggregateType,
      topic: 'customers.events',
      decider: customerDecider,
      events: new EventUpcasting(customerEventDefinitions, customerUpcasters),
      exists: (state) => state !== null,
      snapshots: { every: 100, stateVersion: customerStateVersion, schema: customerSnapshotSchema },
    };
    expect([order.aggregateType, customer.aggregateType]).toEqual(['Order', 'Customer']);
    expect(order.events.currentVersion('OrderCreated')).toBe(2);
    expect(customer.exists(customer.decider.initialState())).toBe(false);
  });
});
