import { CdcOperation, columnsOf, type CdcChange, type CdcOperationCode } from '@scylla-es/es-core/cdc';
import { types } from 'cassandra-driver';
import { MalformedEventRowError } from '@scylla-es/es-core/kafka';
import { eventIdOf, eventMessage, isEventInsert, rawRowMessage } from './event-message';

const eventId = '6f1c2a4e-0b7d-4c1e-9a55-3d2f1e0c9b8a';
const headers = {
  'event-id': eventId,
  'event-type': 'OrderConfirmed',
  'schema-version': '1',
  'aggregate-type': 'Order',
  'aggregate-id': 'order-1',
  sequence: '3',
  'occurred-at': '2026-11-27T10:00:00.000Z',
  'correlation-id': 'c-1',
};

function change(columns: Record<string, unknown>, operation: CdcOperationCode = CdcOperation.rowInsert): CdcChange {
  const values: Record<string, unknown> = {
    sequence: types.Long.fromNumber(3),
    data: '{"confirmedAt":"2026-11-27T10:00:00.000Z","note":"a \\"quoted\\" word"}',
    metadata: '{"correlationId":"c-1"}',
    topic: 'orders.events',
    message_key: 'order-1',
    headers: { ...headers },
    ...columns,
  };
  // What the driver hands over: the decoded columns (a bigint as a Long).
  return {
    streamId: Buffer.alloc(16),
    time: new Date(),
    batchSeqNo: 1,
    endOfBatch: true,
    operation,
    ttl: null,
    columns: columnsOf(values),
  };
}

describe('eventMessage', () => {
  it('is the JSON envelope of the row, keyed and routed by its outbox columns', () => {
    const message = eventMessage(change({}));
    expect(message.topic).toBe('orders.events');
    expect(message.key).toBe('order-1');
    expect(message.headers).toEqual(headers);
    expect(eventIdOf(change({}))).toBe(eventId);
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
    [{ headers: null }, 'no headers'],
    [{ headers: { ...headers, 'event-type': undefined } }, 'no event-type header'],
    [{ headers: { ...headers, 'schema-version': 'one' } }, 'the schema-version header is not an integer'],
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

describe('rawRowMessage', () => {
  it('keeps a malformed row as it is, routed to the fallback topic and keyed by its aggregate when it names none', () => {
    const message = rawRowMessage(change({ topic: null, message_key: null, data: '{"broken":' }), 'dead-letters');
    expect(message.topic).toBe('dead-letters');
    expect(message.key).toBe('order-1');
    expect(message.headers).toEqual(headers);
    expect(JSON.parse(String(message.value))).toEqual({ data: '{"broken":', metadata: '{"correlationId":"c-1"}', sequence: '3' });
  });
});
