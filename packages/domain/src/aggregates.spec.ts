import { customerAggregate, orderAggregate } from './aggregates';

describe('Order and Customer as es-core aggregates', () => {
  it('name their type and topic, and know their current event schema versions', () => {
    const order = orderAggregate();
    const customer = customerAggregate();
    expect([order.aggregateType, order.topic]).toEqual(['Order', 'orders.events']);
    expect([customer.aggregateType, customer.topic]).toEqual(['Customer', 'customers.events']);
    expect(order.events.currentVersion('OrderCreated')).toBe(2);
    expect(customer.events.currentVersion('CustomerRegistered')).toBe(1);
  });

  it('treat the initial state as "does not exist yet" and snapshot at the asked interval', () => {
    const order = orderAggregate(25);
    expect(order.exists(order.decider.initialState())).toBe(false);
    expect(order.snapshots?.every).toBe(25);
    expect(customerAggregate().snapshots?.every).toBe(100);
  });
});
