import { eventRowMessage, MalformedEventRowError } from './event-row-message';
import type { EventRow } from '../core/envelope/event-row';

const headers = {
  'event-id': '6f1c2a4e-0b7d-4c1e-9a55-3d2f1e0c9b8a',
  'event-type': 'CounterIncremented',
  'schema-version': '2',
  'aggregate-type': 'Counter',
  'aggregate-id': 'counter-1',
  sequence: '7',
  'occurred-at': '2026-11-27T10:00:00.000Z',
  'correlation-id': 'c-1',
};

const row: EventRow = {
  topic: 'counters.events',
  messageKey: 'counter-1',
  headers,
  sequence: 7,
  data: '{"by":2}',
  metadata: '{"correlationId":"c-1"}',
};

describe('eventRowMessage', () => {
  it('is the JSON envelope of the row, routed and keyed by its outbox columns, with its headers unchanged', () => {
    const message = eventRowMessage(row);
    expect(message).toMatchObject({ topic: 'counters.events', key: 'counter-1', headers });
    expect(JSON.parse(String(message.value))).toEqual({
      eventId: headers['event-id'],
      type: 'CounterIncremented',
      schemaVersion: 2,
      aggregateType: 'Counter',
      aggregateId: 'counter-1',
      sequence: 7,
      occurredAt: '2026-11-27T10:00:00.000Z',
      data: { by: 2 },
      metadata: { correlationId: 'c-1' },
    });
  });

  it.each([
    [{ data: null }, 'data is null'],
    [{ metadata: 'not json' }, 'metadata is not JSON'],
    [{ messageKey: null }, 'no topic or message key'],
    [{ headers: { ...headers, 'occurred-at': '' } }, 'no occurred-at header'],
  ])('refuses a row that cannot become a message: %j', (change, reason) => {
    expect(() => eventRowMessage({ ...row, ...change })).toThrow(new MalformedEventRowError(reason));
  });
});
