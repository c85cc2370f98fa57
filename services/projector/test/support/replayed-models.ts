import { customerDecider, orderDecider, type CustomerEvent, type OrderEvent } from '@scylla-es/domain';
import type { RecordedEvent } from '@scylla-es/es-core';
import type { CqlEventStore } from '@scylla-es/es-core/cql';

/** JSON as the API sends it: dates as ISO strings, absent optionals gone. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

async function historyOf(store: CqlEventStore, aggregateId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.read(aggregateId)) events.push(event);
  return events;
}

/** The order replayed from event_store by the domain, as GET /orders/:id shows it (times of projection aside). */
export async function replayedOrder(store: CqlEventStore, orderId: string): Promise<Record<string, unknown>> {
  const events = await historyOf(store, orderId);
  const order = events.reduce(
    (state, event) => orderDecider.evolve(state, { type: event.type, data: event.data } as OrderEvent),
    orderDecider.initialState(),
  );
  if (order === null) throw new Error(`order ${orderId} has no events`);
  const totalQuantity = order.items.reduce((sum, item) => sum + item.quantity, 0);
  return asJson({ ...order, itemCount: order.items.length, totalQuantity, version: events.length }) as Record<string, unknown>;
}

/** The customer replayed from event_store by the domain, as GET /customers/:id shows it (order count aside). */
export async function replayedCustomer(store: CqlEventStore, customerId: string): Promise<Record<string, unknown>> {
  const events = await historyOf(store, customerId);
  const customer = events.reduce(
    (state, event) => customerDecider.evolve(state, { type: event.type, data: event.data } as CustomerEvent),
    customerDecider.initialState(),
  );
  if (customer === null) throw new Error(`customer ${customerId} has no events`);
  return asJson({ ...customer, version: events.length }) as Record<string, unknown>;
}

/** A response body without the fields only the projection knows (when it applied, when the status began). */
export function withoutProjectionTimes(body: Record<string, unknown>): Record<string, unknown> {
  const { lastEventAt: _lastEventAt, statusEnteredAt: _statusEnteredAt, orderCount: _orderCount, ...rest } = body;
  return rest;
}
