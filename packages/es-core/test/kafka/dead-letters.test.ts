import { createHash } from 'node:crypto';
import { DeadLetterHeader, DeadLetterPublishError, DeadLetterSender } from '../../src/kafka/dead-letter';
import type { OutboundMessage } from '../../src/kafka/event-publisher';
import { KafkaEventPublisher } from '../../src/kafka/kafka-event-publisher';
import { ResilientPublisher, type PublishObserver } from '../../src/kafka/resilient-publisher';
import { ensureTopics } from '../../src/kafka/topic-admin';
import { deleteTopics, eventMessage, readTopic, testKafka, testLogger, uniqueTopic } from './kafka-test-support';

/** ~1.5 MB: above Kafka's default message.max.bytes (1 048 588). */
const OVERSIZED = Buffer.alloc(1_500_000, 'x');

describe('dead letters on a real broker', () => {
  const kafka = testKafka('dead-letter-test');
  const logger = testLogger();
  const topics: string[] = [];
  const publishers: KafkaEventPublisher[] = [];
  afterAll(async () => {
    await Promise.all(publishers.map((publisher) => publisher.disconnect()));
    await deleteTopics(kafka, topics);
  });

  /** A relay-like set-up on fresh topics: a Kafka adapter, dead letters through it, the resilient rule on top. */
  async function setUp(options: { maxMessageBytes?: number; deadLetterTopicConfig?: Record<string, string> } = {}) {
    const events = uniqueTopic('events');
    const deadLetters = uniqueTopic('dead-letters');
    topics.push(events, deadLetters);
    await ensureTopics(kafka, [
      { topic: events, partitions: 3 },
      { topic: deadLetters, partitions: 1, ...(options.deadLetterTopicConfig ? { config: options.deadLetterTopicConfig } : {}) },
    ]);
    const publisher = new KafkaEventPublisher(kafka, { logger, ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}) });
    publishers.push(publisher);
    const deadLettered: string[] = [];
    const observer: PublishObserver = { onDeadLettered: (message) => void deadLettered.push(message.headers['event-id'] ?? '') };
    const resilient = new ResilientPublisher({
      publisher,
      deadLetters: new DeadLetterSender({ publisher, sourceService: 'cdc-relay', topic: deadLetters }),
      signal: new AbortController().signal,
      backoff: { initialDelayMs: 50, maxDelayMs: 500 },
      observer,
      logger,
    });
    return { events, deadLetters, resilient, deadLettered };
  }

  /** 30 events of 6 aggregates with one oversized event in the middle. */
  function batchWithOversizedEvent(topic: string) {
    const messages = Array.from({ length: 30 }, (_, index) =>
      eventMessage(topic, `agg-${index % 6}`, Math.floor(index / 6) + 1, index === 14 ? OVERSIZED : undefined),
    );
    return { messages, oversized: messages[14] as OutboundMessage };
  }

  async function expectDelivery(events: string, deadLetters: string, messages: OutboundMessage[], oversized: OutboundMessage) {
    const delivered = await readTopic(kafka, events);
    const expected = messages.filter((m) => m !== oversized).map((m) => m.headers['event-id']);
    const deliveredIds = delivered.map((m) => m.headers['event-id']);
    expect(expected.filter((id) => !deliveredIds.includes(id))).toEqual([]);
    expect(deliveredIds).not.toContain(oversized.headers['event-id']);
    // Per aggregate, the first delivery of each event comes in sequence order.
    for (let aggregate = 0; aggregate < 6; aggregate += 1) {
      const sequences = delivered.filter((m) => m.key === `agg-${aggregate}`).map((m) => Number(m.headers.sequence));
      expect([...new Set(sequences)]).toEqual([...new Set(sequences)].sort((x, y) => x - y));
    }

    const letters = await readTopic(kafka, deadLetters);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter?.key).toBe(oversized.key);
    expect(letter?.headers).toMatchObject({
      [DeadLetterHeader.sourceService]: 'cdc-relay',
      [DeadLetterHeader.originalTopic]: events,
      [DeadLetterHeader.originalKey]: oversized.key,
      [DeadLetterHeader.eventId]: oversized.headers['event-id'],
      [DeadLetterHeader.aggregateType]: 'Counter',
      [DeadLetterHeader.aggregateId]: oversized.key,
      [DeadLetterHeader.sequence]: oversized.headers.sequence,
      [DeadLetterHeader.payloadOmitted]: 'true',
      [DeadLetterHeader.originalSizeBytes]: String(OVERSIZED.length),
      [DeadLetterHeader.originalSha256]: createHash('sha256').update(OVERSIZED).digest('hex'),
      'event-id': oversized.headers['event-id'],
    });
    expect(Number(letter?.headers[DeadLetterHeader.attempts])).toBeGreaterThanOrEqual(1);
    expect(Date.parse(letter?.headers[DeadLetterHeader.failedAt] ?? '')).not.toBeNaN();
    expect(letter?.value.length).toBeLessThan(1_000);
    return { duplicates: delivered.length - new Set(deliveredIds).size, letter };
  }

  it('refuses a message above the size limit before sending: one dead letter, the rest delivered once', async () => {
    const { events, deadLetters, resilient, deadLettered } = await setUp();
    const { messages, oversized } = batchWithOversizedEvent(events);
    await resilient.publish(messages);
    expect(deadLettered).toEqual([oversized.headers['event-id']]);
    const { duplicates, letter } = await expectDelivery(events, deadLetters, messages, oversized);
    expect(duplicates).toBe(0);
    expect(letter?.headers[DeadLetterHeader.errorClass]).toBe('MessageTooLargeError');
  });

  it('isolates a message the BROKER refuses: one dead letter, the rest delivered', async () => {
    // With the client-side check out of the way, the broker itself answers MESSAGE_TOO_LARGE for the request.
    const { events, deadLetters, resilient, deadLettered } = await setUp({ maxMessageBytes: 10_000_000 });
    const { messages, oversized } = batchWithOversizedEvent(events);
    await resilient.publish(messages);
    expect(deadLettered).toEqual([oversized.headers['event-id']]);
    const { duplicates, letter } = await expectDelivery(events, deadLetters, messages, oversized);
    expect(letter?.headers[DeadLetterHeader.errorCode]).toMatch(/^(MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE)$/);
    // Partitions of the refused request that the broker did write are written again while isolating.
    console.info(`broker-side rejection: ${duplicates} duplicate(s) among ${messages.length - 1} delivered events`);
    expect(duplicates).toBeLessThan(messages.length);
  });

  it('throws when the dead letter cannot be published either, so the caller stops advancing', async () => {
    // A dead-letter topic that refuses anything over 512 bytes: the dead letter itself is refused for good.
    const { events, deadLetters, resilient } = await setUp({ deadLetterTopicConfig: { 'max.message.bytes': '512' } });
    const { messages, oversized } = batchWithOversizedEvent(events);
    const failure = await resilient.publish(messages).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeadLetterPublishError);
    expect((failure as DeadLetterPublishError).deadLetters.map((dead) => dead.message)).toEqual([oversized]);
    expect(await readTopic(kafka, deadLetters)).toEqual([]);
  });
});
