import { loadConfig } from '../../src/core/config/environment';
import type { OutboundMessage } from '../../src/kafka/event-publisher';
import { kafkaConfigShape, type KafkaConfig } from '../../src/kafka/kafka-config';
import { reviveError, transferError } from '../../src/kafka/publisher-thread-protocol';
import { PermanentPublishError, TransientPublishError, classifyKafkaError, protocolErrorType } from '../../src/kafka/publish-errors';
import { ThreadedEventPublisher, createThreadedEventPublisher } from '../../src/kafka/threaded-event-publisher';
import { ensureTopics } from '../../src/kafka/topic-admin';
import { deleteTopics, eventMessage, readTopic, testKafka, testKafkaConfig, testLogger, uniqueTopic } from './kafka-test-support';

const thread = { service: 'threaded-publisher-test', logLevel: process.env.TEST_LOG_LEVEL ?? 'silent' };

describe('ThreadedEventPublisher on a real broker', () => {
  const kafka = testKafka('threaded-publisher-test');
  const topic = uniqueTopic('threaded');
  const publisher = createThreadedEventPublisher({ ...testKafkaConfig(), KAFKA_MAX_MESSAGE_BYTES: 100_000 }, thread, testLogger());

  beforeAll(() => ensureTopics(kafka, [{ topic }]));
  afterAll(async () => {
    await publisher.disconnect();
    await deleteTopics(kafka, [topic]);
  });

  it('publishes from its thread in order per key, with headers and values intact', async () => {
    const messages = Array.from({ length: 300 }, (_, index) => eventMessage(topic, `agg-${index % 7}`, Math.floor(index / 7) + 1));
    await publisher.connect();
    await publisher.publish(messages.slice(0, 150));
    await publisher.publish(messages.slice(150));
    const received = await readTopic(kafka, topic);
    expect(received).toHaveLength(300);
    for (let aggregate = 0; aggregate < 7; aggregate++) {
      const key = `agg-${aggregate}`;
      const sequences = (list: readonly { key: string; headers: Readonly<Record<string, string>> }[]) =>
        list.filter((message) => message.key === key).map((message) => message.headers.sequence);
      expect(sequences(received)).toEqual(sequences(messages));
    }
    const first = messages[0] as OutboundMessage;
    const copy = received.find((message) => message.headers['event-id'] === first.headers['event-id']);
    expect(copy?.headers).toEqual(first.headers);
    expect(copy?.value.toString()).toBe(first.value);
  });

  it('publishes byte values as bytes (a copy reaches the thread as a plain Uint8Array)', async () => {
    const bytes = Buffer.from([0, 159, 146, 150, 255]);
    await publisher.publish([eventMessage(topic, 'bytes', 1, bytes)]);
    const received = (await readTopic(kafka, topic)).filter((message) => message.key === 'bytes');
    expect(received.map((message) => Buffer.compare(message.value, bytes))).toEqual([0]);
  });

  it('names a message that can never be published by the very object the caller passed, and publishes the rest', async () => {
    const before = (await readTopic(kafka, topic)).length;
    const tooLarge = eventMessage(topic, 'big', 1, 'x'.repeat(200_000));
    const fine = [eventMessage(topic, 'small', 1), eventMessage(topic, 'small', 2)];
    const error = await publisher.publish([fine[0] as OutboundMessage, tooLarge, fine[1] as OutboundMessage]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentPublishError);
    const failures = (error as PermanentPublishError).failures;
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toBe(tooLarge);
    expect(failures[0]?.error.name).toBe('MessageTooLargeError');
    expect((error as PermanentPublishError).remaining).toEqual([]);
    expect((await readTopic(kafka, topic)).length - before).toBe(2);
  });

  it('hands back every message as remaining when the broker cannot be reached, and starts a new thread after one ended', async () => {
    const unreachable = new ThreadedEventPublisher(
      {
        kafka: loadConfig(kafkaConfigShape, {
          REDPANDA_BROKERS: '127.0.0.1:1',
          KAFKA_CONNECTION_TIMEOUT_MS: '200',
          KAFKA_RETRIES: '0',
          KAFKA_LOG_LEVEL: 'error',
        }),
        ...thread,
      },
      testLogger(),
    );
    const messages = [eventMessage(topic, 'lost', 1), eventMessage(topic, 'lost', 2)];
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await unreachable.publish(messages).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TransientPublishError);
      expect((error as TransientPublishError).remaining).toEqual(messages);
      expect((error as TransientPublishError).remaining[0]).toBe(messages[0]);
      expect(classifyKafkaError(error)).toBe('transient');
      await unreachable.disconnect();
    }
  });
});

describe('a publisher thread that dies', () => {
  it('fails the calls in flight as transient, with every message still to publish', async () => {
    // Settings the thread cannot even build its Kafka client from: it throws at start and ends.
    const doomed = new ThreadedEventPublisher({ kafka: undefined as unknown as KafkaConfig, ...thread });
    const messages = [eventMessage('never', 'k', 1)];
    const error = await doomed.publish(messages).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransientPublishError);
    expect((error as TransientPublishError).message).toMatch(/publisher thread exited/);
    expect((error as TransientPublishError).remaining[0]).toBe(messages[0]);
  });
});

describe('errors crossing from the publisher thread', () => {
  it('keep the broker error name that classification and dead letters read', () => {
    const brokerError = Object.assign(new Error('refused'), { name: 'KafkaJSProtocolError', type: 'MESSAGE_TOO_LARGE' });
    const wrapped = new Error('retries exceeded', { cause: brokerError });
    wrapped.name = 'KafkaJSNumberOfRetriesExceeded';
    const revived = reviveError(transferError(wrapped));
    expect(revived.name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect(protocolErrorType(revived.cause)).toBe('MESSAGE_TOO_LARGE');
    expect(classifyKafkaError(revived)).toBe('permanent');
  });
});
