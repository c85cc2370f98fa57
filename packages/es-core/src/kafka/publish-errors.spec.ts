import {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import {
  MessageTooLargeError,
  PermanentPublishError,
  TransientPublishError,
  UnserialisableMessageError,
  classifyKafkaError,
  rootCause,
} from './publish-errors';

/** What kafkajs builds from a broker error code: the error-code table entry becomes the error's fields. */
function brokerError(type: string, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError(Object.assign(new Error(`broker said ${type}`), { type, code: 0, retriable }));
}

/** kafkajs's wrapping of a non-retriable answer: the answer becomes the cause. */
function nonRetriable(cause: Error): KafkaJSNonRetriableError {
  return Object.assign(new KafkaJSNonRetriableError(cause), { cause });
}

/** kafkajs's wrapping once its own retries are spent. */
function retriesExhausted(cause: Error): KafkaJSNumberOfRetriesExceeded {
  return new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 3, retryTime: 1_000 });
}

describe('classifyKafkaError', () => {
  it.each(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TIMESTAMP'])(
    '%s concerns the records themselves: permanent',
    (type) => {
      expect(classifyKafkaError(brokerError(type, false))).toBe('permanent');
      // kafkajs rethrows a non-retriable error wrapped, keeping the broker's answer as the cause.
      expect(classifyKafkaError(nonRetriable(brokerError(type, false)))).toBe('permanent');
    },
  );

  it('refusals before sending are permanent', () => {
    expect(classifyKafkaError(new MessageTooLargeError(2_000_000, 1_000_000))).toBe('permanent');
    expect(classifyKafkaError(new UnserialisableMessageError('the value is not a string or Buffer'))).toBe('permanent');
  });

  it.each([
    'LEADER_NOT_AVAILABLE',
    'NOT_LEADER_FOR_PARTITION',
    'NOT_ENOUGH_REPLICAS',
    'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
    'REQUEST_TIMED_OUT',
    'NETWORK_EXCEPTION',
    'UNKNOWN_TOPIC_OR_PARTITION',
    'TOPIC_AUTHORIZATION_FAILED',
    'KAFKA_STORAGE_ERROR',
    'CORRUPT_MESSAGE',
  ])('%s is transient, also once kafkajs gave up retrying', (type) => {
    expect(classifyKafkaError(brokerError(type, true))).toBe('transient');
    expect(classifyKafkaError(retriesExhausted(brokerError(type, true)))).toBe('transient');
  });

  it('connection errors, timeouts and anything unknown are transient: never dropped silently', () => {
    expect(classifyKafkaError(retriesExhausted(new KafkaJSConnectionError('Connection error: ECONNREFUSED')))).toBe('transient');
    expect(classifyKafkaError(new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out'))).toBe('transient');
    expect(classifyKafkaError(new KafkaJSError('The producer is disconnected'))).toBe('transient');
    expect(classifyKafkaError(new TypeError('something odd'))).toBe('transient');
    expect(classifyKafkaError('a string')).toBe('transient');
    expect(classifyKafkaError(undefined)).toBe('transient');
  });

  it.each(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH'])(
    '%s means the idempotent producer must start over',
    (type) => expect(classifyKafkaError(brokerError(type, false))).toBe('producer-state'),
  );

  it('survives a cause cycle', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    first.cause = second;
    expect(classifyKafkaError(first)).toBe('transient');
  });
});

describe('rootCause', () => {
  it('finds the broker answer inside kafkajs wrappers', () => {
    const answer = brokerError('MESSAGE_TOO_LARGE', false);
    expect(rootCause(nonRetriable(answer))).toBe(answer);
    expect(rootCause('plain')).toBeInstanceOf(Error);
  });
});

describe('publish errors', () => {
  const message = { topic: 't', key: 'k', value: 'v', headers: {} };

  it('carry the pending messages and, when permanent, which messages failed', () => {
    const error = new PermanentPublishError([{ message, error: new MessageTooLargeError(2, 1) }], [message]);
    expect(error.failures.map((failure) => failure.message)).toEqual([message]);
    expect(error.remaining).toEqual([message]);
    expect(error.name).toBe('PermanentPublishError');
    expect(error.message).toContain('MessageTooLargeError');
    const transient = new TransientPublishError(new Error('down'), [message]);
    expect(transient.cause).toEqual(new Error('down'));
    expect(transient.name).toBe('TransientPublishError');
  });
});
