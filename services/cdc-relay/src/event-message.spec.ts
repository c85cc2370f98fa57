import { CdcOperation, type CdcChange, type CdcOperationCode } from '@scylla-es/es-core';
import { types } from 'cassandra-driver';
import { eventMessage, isEventInsert, MalformedEventRowError } from './event-message';

const eventId = '6f1c2a4e-0b7d-4c1e-9a55-3d2f1e0c9b8a';

function change(columns: Record<string, unknown>, operation: CdcOperationCode = CdcOperation.rowInsert): CdcChange {
  const values: Record<string, unknown> = {
    aggregate_id: 'order-1',
    sequence: types.Long.fromNumber(3),
    event_id: types.Uuid.fromString(eventId),
    event_type: 'OrderConfirmed',
    schema_version: 1,
    data: '{"confirmedAt":"2026-11-27T10:00:00.000Z","note":"a \\"quoted\\" word"}',
    metadata: '{"correlationId":"c-1"}',
    occurred_at: new Date('2026-11-27T10:00:00.000Z'),
    topic: 'orders.events',
    message_key: 'order-1',
    headers: { 'aggregate-type': 'Order', 'event-type': 'OrderConfirmed' },
    ...columns,
  };
  // What the driver hands over: the decoded columns, read through get().
  const row = { ...values, get: (name: string) => values[name] } as unknown as types.Row;
  return {
    streamId: Buffer.alloc(16),
    time: types.TimeUuid.now(),
    batchSeqNo: 1,
    endOfBatch: true,
    operation,
    ttl: null,
    row,
  };
}

describe('eventMessage', () => {
  it('is the JSON envelope of the row, keyed and routed by its outbox columns', () => {
    const message = eventMessage(change({}));
    expect(message.topic).toBe('orders.events');
    expect(message.key).toBe('order-1');
    expect(message.headers).toEqual({ 'aggregate-type': 'Order', 'event-type': 'OrderConfirmed' });
    expect(JSON.parse(String(message.value))).toEqual({
      eventId,
      type: 'OrderConfirmed',
      schemaVersion: 1,
      aggregateType: 'Order',
      aggregateId: 'order-1',
      sequence: 3,
      occurredAt: '2026-11-27T10:00:00.000Z',
      data: { confirmedAt: '2026-11-27T10:00:00.000Z', note: 'a "quoted" word' },
      metadata: { correlationId: 'c-1' },
    });
  });

  it.each([
    [{ data: '{"broken":' }, 'data is not JSON'],
    [{ metadata: null }, 'metadata is null'],
    [{ data: '{} {}' }, 'data is not JSON'],
    [{ topic: null }, 'no topic or message key'],
    [{ message_key: '' }, 'no topic or message key'],
  ])('refuses a row that cannot become a message: %j', (columns, reason) => {
    expect(() => eventMessage(change(columns))).toThrow(new MalformedEventRowError(reason));
  });

  it('takes only delta inserts of event rows (not the static head update, deletes or post-images)', () => {
    expect(isEventInsert(change({}))).toBe(true);
    expect(isEventInsert(change({ sequence: null }))).toBe(false);
    expect(isEventInsert(change({}, CdcOperation.postImage))).toBe(false);
    expect(isEventInsert(change({}, CdcOperation.rowDelete))).toBe(false);
  });
});
