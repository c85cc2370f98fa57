import type { RecordedEvent } from '@scylla-es/es-core';
import { canonical, replayedState } from './replayed-state';

const recorded = (sequence: number, type: string, data: object): RecordedEvent => ({
  eventId: String(sequence),
  type,
  schemaVersion: 1,
  aggregateType: 'Order',
  aggregateId: 'o1',
  sequence,
  occurredAt: new Date(0),
  data,
  metadata: { correlationId: 'x' },
});

describe('replayedState', () => {
  it('folds an order with the domain’s evolve, as JSON', () => {
    const createdAt = new Date('2026-01-01T00:00:00Z');
    const state = replayedState({
      aggregateId: 'o1',
      kind: 'Order',
      version: 2,
      events: [
        recorded(1, 'OrderCreated', { orderId: 'o1', customerId: 'c1', items: [{ productId: 'p1', quantity: 2 }], createdAt }),
        recorded(2, 'OrderConfirmed', { confirmedAt: new Date('2026-01-02T00:00:00Z') }),
      ],
    });
    expect(state).toMatchObject({ id: 'o1', customerId: 'c1', status: 'Confirmed', createdAt: '2026-01-01T00:00:00.000Z' });
  });

  it('is null for an aggregate without events', () => {
    expect(replayedState({ aggregateId: 'c1', kind: 'Customer', version: 0, events: [] })).toBeNull();
  });
});

describe('canonical', () => {
  it('compares objects by content, whatever the order of their keys, but keeps arrays in order', () => {
    expect(canonical({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonical({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });
});
