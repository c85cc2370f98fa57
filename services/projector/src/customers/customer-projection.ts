import type { RecordedEvent } from '@scylla-es/es-core';
import { customerDecider, type CustomerEvent } from '@scylla-es/domain';
import { domainEventOf } from '../projection/domain-event';
import type { CustomerView } from './customer-view';

/**
 * The next state of a customer's read model after one of its events, folded by the domain's own `evolve`.
 * The number of orders is not part of it: it comes from the order stream (see customer_read_model).
 */
export function projectCustomerEvent(current: CustomerView | null, event: RecordedEvent): CustomerView {
  const customer = customerDecider.evolve(current?.customer ?? null, domainEventOf<CustomerEvent>(event));
  if (customer === null) throw new Error(`${event.type} left customer ${event.aggregateId} without state`);
  return { customer, version: event.sequence, lastEventAt: event.occurredAt };
}
