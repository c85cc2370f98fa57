import { orderAggregate } from '@scylla-es/domain';
import type { ConsumedMessage } from '@scylla-es/es-core/kafka';
import { eventOfMessage, MalformedEventMessageError } from './event-message';

const orderId = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
const customerId = '0b7e6d5c-4f3a-4b2c-9d1e-0f1a2b3c4d5e';
const productId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const upcasting = orderAggregate().events;
const upcastingFor = (aggregateType: string) => (aggregateType === 'Order' ? upcasting : undefined);

const messageOf = (value: unknown): ConsumedMessage => ({
  topic: 'orders.events',
  partition: 0,
  offset: '7',
  key: orderId,
  value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  headers: {},
  timestamp: new Date(),
});

const envelope = (overrides: object = {}) => ({
  eventId: '11111111-2222-4333-8444-555555555555',
  type: 'OrderCreated',
  schemaVersion: 2,
  aggregateType: 'Order',
  aggregateId: orderId,
  sequence: 1,
  occurredAt: '2025-03-01T09:00:00.000Z',
  data: { orderId, customerId, items: [{ productId, quantity: 2 }], createdAt: '2025-03-01T09:00:00.000Z' },
  metadata: { correlationId: 'c-1' },
  ...overrides,
});

describe('event messages', () => {
  it('reads the relay envelope into a recorded event with validated data', () => {
    const event = eventOfMessage(messageOf(envelope()), upcastingFor);
    expect(event).toMatchObject({ type: 'OrderCreated', aggregateId: orderId, sequence: 1, occurredAt: new Date('2025-03-01T09:00:00.000Z') });
    expect(event?.data).toMatchObject({ createdAt: new Date('2025-03-01T09:00:00.000Z') });
  });

  it('lifts an old schema version through the domain upcasters', () => {
    const legacy = envelope({
      schemaVersion: 1,
      data: { order_id: orderId, created_at: '2025-03-01T09:00:00.000Z', customer_id: customerId, items: [{ product_id: productId, quantity: 3 }] },
    });
    const event = eventOfMessage(messageOf(legacy), upcastingFor);
    expect(event?.schemaVersion).toBe(2);
    expect(event?.data).toMatchObject({ orderId, customerId, items: [{ productId, quantity: 3 }] });
  });

  it('passes over aggregate types no model projects', () => {
    expect(eventOfMessage(messageOf(envelope({ aggregateType: 'Clock' })), upcastingFor)).toBeUndefined();
  });

  it('names a message that is not an event envelope', () => {
    expect(() => eventOfMessage(messageOf('not json'), upcastingFor)).toThrow(MalformedEventMessageError);
    expect(() => eventOfMessage(messageOf(envelope({ sequence: 0 })), upcastingFor)).toThrow(/sequence/);
  });
});
