import type { RecordedEvent } from '@scylla-es/es-core';
import type { ConsumedMessage } from '@scylla-es/es-core/kafka';
import { deliveryCheck } from './delivery-checks';
import type { StoredStream } from './stored-streams';

const stored = (aggregateId: string, count: number): StoredStream => ({
  aggregateId,
  kind: 'Order',
  version: count,
  events: Array.from({ length: count }, (_, index): RecordedEvent => ({
    eventId: `${aggregateId}-${index + 1}`,
    type: 'OrderCreated',
    schemaVersion: 1,
    aggregateType: 'Order',
    aggregateId,
    sequence: index + 1,
    occurredAt: new Date(0),
    data: {},
    metadata: { correlationId: 'x' },
  })),
});

let offset = 0;
const message = (aggregateId: string, sequence: number, partition = 0, topic = 'orders.events'): ConsumedMessage => ({
  topic,
  partition,
  offset: String(offset++),
  key: aggregateId,
  value: null,
  headers: { 'aggregate-id': aggregateId, 'event-id': `${aggregateId}-${sequence}`, sequence: String(sequence) },
  timestamp: new Date(0),
});

const streams = new Map([
  ['a', stored('a', 3)],
  ['b', stored('b', 2)],
]);
const check = (messages: ConsumedMessage[], maxCopies = 2) => deliveryCheck(streams, messages, () => 'orders.events', maxCopies);

describe('deliveryCheck', () => {
  it('accepts repeats of older events after a redelivery, counts them, and ignores other runs’ aggregates', () => {
    const result = check([message('a', 1), message('b', 1), message('a', 2), message('x', 1), message('a', 1), message('a', 2), message('a', 3), message('b', 2)]);
    expect(result.violations).toEqual([]);
    expect(result.figures).toEqual({ 'messages of the storm': 7, 'repeats on orders.events': 2, 'most copies of one event': 2 });
  });

  it('names a missing event, an overtaking one, a split aggregate, an unknown event and a repeat past the bound', () => {
    const result = check([message('a', 2), message('a', 1), message('a', 3, 1), message('b', 1), message('b', 1), message('b', 1), message('b', 9)]);
    expect(result.violations).toEqual([
      'a: spread over orders.events/0, orders.events/1',
      'a: stored [1,2,3], first seen on Kafka [2,1,3]',
      'b: stored [1,2], first seen on Kafka [1,9]',
      'b: event b-9 on Kafka is not in event_store',
      'event b-1 published 3 times (bound 2)',
    ]);
  });
});
