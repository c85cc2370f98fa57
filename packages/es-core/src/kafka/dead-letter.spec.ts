import { createHash } from 'node:crypto';
import { KafkaJSProtocolError } from 'kafkajs';
import { outboxHeaders, type RecordedEvent } from '../core/envelope/event-envelope';
import {
  DEFAULT_DEAD_LETTER_MAX_BYTES,
  DeadLetterHeader,
  DeadLetterPublishError,
  DeadLetterSender,
  deadLetterMessage,
} from './dead-letter';
import type { EventPublisher, OutboundMessage } from './event-publisher';
import { deadLetterOfConsumed } from './consumed-message';
import { RECORD_BATCH_OVERHEAD_BYTES, estimateRecordBytes } from './outbound-batches';
import { MessageTooLargeError } from './publish-errors';

const event: RecordedEvent = {
  eventId: '0b6f3d4e-2f4c-4d1e-9a57-3f0f7d0c1a11',
  type: 'OrderPlaced',
  schemaVersion: 1,
  aggregateType: 'Order',
  aggregateId: 'order-42',
  sequence: 7,
  occurredAt: new Date('2025-01-02T03:04:05.000Z'),
  data: {},
  metadata: { correlationId: 'corr-1' },
};

const eventMessage = (value: Buffer | string): OutboundMessage => ({
  topic: 'orders.events',
  key: event.aggregateId,
  value,
  headers: outboxHeaders(event),
});

const failedAt = new Date('2025-06-01T12:00:00.000Z');
const options = { sourceService: 'cdc-relay' };

describe('deadLetterMessage', () => {
  it('keeps the original value, key and headers and adds the failure and the event coordinates', () => {
    const original = eventMessage(JSON.stringify({ eventId: event.eventId, data: { total: 10 } }));
    const error = new KafkaJSProtocolError(
      Object.assign(new Error('The record is invalid'), { type: 'INVALID_RECORD', code: 87, retriable: false }),
    );
    const letter = deadLetterMessage({ message: original, error, attempts: 3 }, failedAt, options);

    expect(letter.topic).toBe('dead-letters');
    expect(letter.key).toBe('order-42');
    expect(Buffer.from(letter.value).toString()).toBe(original.value);
    expect(letter.headers).toMatchObject({
      ...original.headers,
      [DeadLetterHeader.sourceService]: 'cdc-relay',
      [DeadLetterHeader.originalTopic]: 'orders.events',
      [DeadLetterHeader.originalKey]: 'order-42',
      [DeadLetterHeader.errorClass]: 'KafkaJSProtocolError',
      [DeadLetterHeader.errorCode]: 'INVALID_RECORD',
      [DeadLetterHeader.errorMessage]: 'The record is invalid',
      [DeadLetterHeader.attempts]: '3',
      [DeadLetterHeader.failedAt]: '2025-06-01T12:00:00.000Z',
      [DeadLetterHeader.eventId]: event.eventId,
      [DeadLetterHeader.aggregateType]: 'Order',
      [DeadLetterHeader.aggregateId]: 'order-42',
      [DeadLetterHeader.sequence]: '7',
      [DeadLetterHeader.payloadOmitted]: 'false',
      [DeadLetterHeader.originalSizeBytes]: String(Buffer.byteLength(original.value)),
    });
  });

  it('says where a consumed record was read, and nothing of it for a message that never reached Kafka', () => {
    const consumed = deadLetterOfConsumed(
      {
        topic: 'orders.events',
        partition: 2,
        offset: '9007199254740993',
        key: 'order-42',
        value: Buffer.from('{}'),
        headers: { 'event-id': event.eventId },
        timestamp: failedAt,
      },
      new Error('poison'),
      5,
    );
    const letter = deadLetterMessage(consumed, failedAt, { sourceService: 'projector' });
    expect(letter.headers).toMatchObject({
      [DeadLetterHeader.sourceService]: 'projector',
      [DeadLetterHeader.originalTopic]: 'orders.events',
      [DeadLetterHeader.originalKey]: 'order-42',
      [DeadLetterHeader.originalPartition]: '2',
      [DeadLetterHeader.originalOffset]: '9007199254740993',
      [DeadLetterHeader.attempts]: '5',
      [DeadLetterHeader.eventId]: event.eventId,
      'event-id': event.eventId,
    });

    const published = deadLetterMessage({ message: eventMessage('x'), error: new Error('x'), attempts: 1 }, failedAt, options);
    expect(published.headers[DeadLetterHeader.originalPartition]).toBeUndefined();
    expect(published.headers[DeadLetterHeader.originalOffset]).toBeUndefined();
  });

  it('drops a payload too large to be a dead letter, keeping its size and SHA-256', () => {
    const payload = Buffer.alloc(1_500_000, 'a');
    const letter = deadLetterMessage(
      { message: eventMessage(payload), error: new MessageTooLargeError(1_500_100, 1_000_000), attempts: 1 },
      failedAt,
      options,
    );
    expect(letter.headers[DeadLetterHeader.payloadOmitted]).toBe('true');
    expect(letter.headers[DeadLetterHeader.originalSizeBytes]).toBe('1500000');
    expect(letter.headers[DeadLetterHeader.originalSha256]).toBe(createHash('sha256').update(payload).digest('hex'));
    expect(JSON.parse(String(letter.value))).toMatchObject({ deadLetter: 'payload-omitted', sizeBytes: 1_500_000 });
    expect(RECORD_BATCH_OVERHEAD_BYTES + estimateRecordBytes(letter)).toBeLessThan(DEFAULT_DEAD_LETTER_MAX_BYTES);
    expect(letter.headers[DeadLetterHeader.aggregateId]).toBe('order-42');
  });

  it('keeps a payload just under the limit and drops one just over it', () => {
    const limit = 10_000;
    const sized = (bytes: number) =>
      deadLetterMessage({ message: eventMessage('b'.repeat(bytes)), error: new Error('x'), attempts: 1 }, failedAt, {
        ...options,
        maxBytes: limit,
      });
    expect(sized(8_000).headers[DeadLetterHeader.payloadOmitted]).toBe('false');
    const over = sized(10_000);
    expect(over.headers[DeadLetterHeader.payloadOmitted]).toBe('true');
    expect(RECORD_BATCH_OVERHEAD_BYTES + estimateRecordBytes(over)).toBeLessThanOrEqual(limit);
  });

  it('finds the coordinates in the JSON envelope when the headers lack them, and replaces stale dlq headers', () => {
    const message: OutboundMessage = {
      topic: 'orders.events',
      key: 'order-9',
      value: JSON.stringify({ eventId: 'e-9', aggregateType: 'Order', aggregateId: 'order-9', sequence: 12 }),
      headers: { 'dlq-attempts': '99', 'x-custom': 'kept' },
    };
    const letter = deadLetterMessage({ message, error: new Error('rejected'), attempts: 2 }, failedAt, options);
    expect(letter.headers).toMatchObject({
      [DeadLetterHeader.eventId]: 'e-9',
      [DeadLetterHeader.sequence]: '12',
      [DeadLetterHeader.attempts]: '2',
      'x-custom': 'kept',
    });
  });

  it('handles a value that is not bytes at all, and truncates long error messages', () => {
    const message = { ...eventMessage('x'), value: { an: 'object' } } as unknown as OutboundMessage;
    const letter = deadLetterMessage({ message, error: new Error('e'.repeat(5_000)), attempts: 1 }, failedAt, options);
    expect(letter.headers[DeadLetterHeader.payloadOmitted]).toBe('true');
    expect(letter.headers[DeadLetterHeader.originalSha256]).toBeUndefined();
    expect(letter.headers[DeadLetterHeader.errorMessage]?.length).toBe(1_000);
  });

  it('omits original headers that alone would make the dead letter too large', () => {
    const message = { ...eventMessage('small'), headers: { huge: 'h'.repeat(20_000), 'aggregate-id': 'order-42' } };
    const letter = deadLetterMessage({ message, error: new Error('x'), attempts: 1 }, failedAt, { ...options, maxBytes: 10_000 });
    expect(letter.headers.huge).toBeUndefined();
    expect(letter.headers[DeadLetterHeader.originalHeadersOmitted]).toBe('true');
    expect(letter.headers[DeadLetterHeader.aggregateId]).toBe('order-42');
  });
});

describe('DeadLetterSender', () => {
  it('publishes to the configured topic and wraps any failure in DeadLetterPublishError', async () => {
    const published: OutboundMessage[][] = [];
    const working: EventPublisher = { publish: async (messages) => void published.push([...messages]) };
    const sender = new DeadLetterSender({ publisher: working, sourceService: 'projector', topic: 'dlq', now: () => failedAt });
    await sender.send([{ message: eventMessage('x'), error: new Error('poison'), attempts: 5 }]);
    expect(published[0]?.[0]).toMatchObject({ topic: 'dlq', key: 'order-42' });

    const broken: EventPublisher = { publish: () => Promise.reject(new Error('broker down')) };
    const failing = new DeadLetterSender({ publisher: broken, sourceService: 'projector' });
    const deadLetters = [{ message: eventMessage('x'), error: new Error('poison'), attempts: 1 }];
    await expect(failing.send(deadLetters)).rejects.toBeInstanceOf(DeadLetterPublishError);
    await expect(failing.send(deadLetters)).rejects.toMatchObject({ deadLetters, cause: new Error('broker down') });
  });
});
