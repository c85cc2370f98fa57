import { deadLetterMessage } from '@scylla-es/es-core/kafka';
import { deadLetterRecordOf, messageIdOf } from './dead-letter-record';

const original = {
  topic: 'orders.events',
  key: 'order-1',
  value: '{"type":"OrderConfirmed"}',
  headers: { 'event-id': 'e-1', 'event-type': 'OrderConfirmed', 'aggregate-type': 'Order', 'aggregate-id': 'order-1', sequence: '3' },
};

const consumed = (headers: Record<string, string>, value: string | null, offset = '7') => ({
  topic: 'dead-letters',
  partition: 1,
  offset,
  key: 'order-1',
  value: value === null ? null : Buffer.from(value),
  headers,
  timestamp: new Date('2026-11-27T10:00:00Z'),
});

describe('a dead letter read from the topic', () => {
  it('carries the original and its failure, and is identified by source and event id', () => {
    const letter = deadLetterMessage({ message: original, error: new TypeError('bad'), attempts: 4 }, new Date('2026-11-27T10:01:00Z'), { sourceService: 'projector' });
    const record = deadLetterRecordOf(consumed(letter.headers, String(letter.value)));
    expect(record).toMatchObject({
      id: messageIdOf(['projector', 'e-1']),
      delivery: '1:7',
      source: 'projector',
      topic: 'orders.events',
      key: 'order-1',
      headers: original.headers,
      eventId: 'e-1',
      eventType: 'OrderConfirmed',
      aggregateId: 'order-1',
      sequence: 3,
      errorClass: 'TypeError',
      attempts: 4,
      failedAt: new Date('2026-11-27T10:01:00Z'),
    });
    expect(record.payload?.toString()).toBe(original.value);
    expect(record.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps no payload when the sender omitted it', () => {
    const letter = deadLetterMessage({ message: { ...original, value: 'x'.repeat(2_000) }, error: new Error('too large'), attempts: 1 }, new Date(), {
      sourceService: 'cdc-relay',
      maxBytes: 1_500,
    });
    const record = deadLetterRecordOf(consumed(letter.headers, String(letter.value)));
    expect(record.payload).toBeUndefined();
    expect(record.payloadSizeBytes).toBe(2_000);
  });

  it('is stored even when it says almost nothing, as its own message', () => {
    const record = deadLetterRecordOf(consumed({ 'dlq-attempts': 'many' }, null));
    expect(record).toMatchObject({ source: 'unknown', errorClass: 'unknown', attempts: 1, failedAt: new Date('2026-11-27T10:00:00Z') });
    expect(record.id).toBe(messageIdOf(['unknown', 'dead-letters', '1:7']));
    expect(deadLetterRecordOf(consumed({}, null, '8')).id).not.toBe(record.id);
  });
});
