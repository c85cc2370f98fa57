import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { CommittingConsumer, type ConsumedMessage } from '../../src/kafka';
import { eventually, testEngines } from '../../src/testing';

/** Offsets a group has committed on partition 0 of a topic. */
async function committedOffset(admin: Admin, groupId: string, topic: string): Promise<string | undefined> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets?.partitions.find((entry) => entry.partition === 0)?.offset;
}

describe('CommittingConsumer', () => {
  const kafka = new Kafka({ clientId: 'committing-consumer-test', brokers: [...testEngines().kafkaBrokers], logLevel: logLevel.NOTHING });
  let admin: Admin;
  let topic: string;

  beforeEach(async () => {
    topic = `committing-${randomUUID()}`;
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 8 }, (_, index) => ({ key: 'k', value: String(index + 1) })) });
    await producer.disconnect();
  });
  afterEach(async () => {
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  const consumerOf = (groupId: string, handle: (message: ConsumedMessage) => Promise<void>, observed: string[] = []) =>
    new CommittingConsumer({
      kafka,
      groupId,
      topics: [topic],
      handle,
      isOutage: () => true,
      retryBackoff: { initialDelayMs: 50, maxDelayMs: 200 },
      observer: { onPaused: (message) => observed.push(`paused@${message.offset}`), onResumed: (message) => observed.push(`resumed@${message.offset}`) },
    });

  it('retries a failing record on its paused partition until it succeeds, skipping nothing and committing after it', async () => {
    const groupId = `group-${randomUUID()}`;
    const handled: string[] = [];
    const observed: string[] = [];
    let failuresLeft = 3;
    const consumer = consumerOf(
      groupId,
      async (message) => {
        const value = String(message.value);
        if (value === '4' && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('database unavailable');
        }
        handled.push(value);
      },
      observed,
    );
    await consumer.start();
    try {
      await eventually(() => expect(handled).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']), 30_000, 50);
      expect(observed).toEqual(['paused@3', 'paused@3', 'paused@3', 'resumed@3']);
      await eventually(async () => expect(await committedOffset(admin, groupId, topic)).toBe('8'), 10_000, 100);
      expect(consumer.pausedPartitions).toBe(0);
    } finally {
      await consumer.stop();
    }
  });

  it('leaves the failed record uncommitted, so the next member of the group starts with it', async () => {
    const groupId = `group-${randomUUID()}`;
    const first: string[] = [];
    const failing = consumerOf(groupId, async (message) => {
      if (String(message.value) === '5') throw new Error('still failing');
      first.push(String(message.value));
    });
    await failing.start();
    await eventually(() => expect(failing.pausedPartitions).toBe(1), 30_000, 50);
    await eventually(async () => expect(await committedOffset(admin, groupId, topic)).toBe('4'), 10_000, 100);
    await failing.stop();
    expect(first).toEqual(['1', '2', '3', '4']);

    const second: string[] = [];
    const healthy = consumerOf(groupId, async (message) => void second.push(String(message.value)));
    await healthy.start();
    try {
      await eventually(() => expect(second).toEqual(['5', '6', '7', '8']), 30_000, 50);
    } finally {
      await healthy.stop();
    }
  });

  it('gives up a record after its bounded attempts, outages not counted, and moves on past it', async () => {
    const groupId = `group-${randomUUID()}`;
    const handled: string[] = [];
    const givenUp: string[] = [];
    let outagesLeft = 2;
    const consumer = new CommittingConsumer({
      kafka,
      groupId,
      topics: [topic],
      handle: async (message) => {
        const value = String(message.value);
        if (value === '4' && outagesLeft > 0) {
          outagesLeft -= 1;
          throw new Error('database unavailable');
        }
        if (value === '4') throw new Error('poison');
        handled.push(value);
      },
      isOutage: (error) => error instanceof Error && error.message === 'database unavailable',
      retryBackoff: { initialDelayMs: 50, maxDelayMs: 200 },
      giveUp: {
        afterAttempts: 3,
        giveUp: async (message, error, attempts) => void givenUp.push(`${String(message.value)}: ${(error as Error).message} after ${attempts}`),
      },
    });
    await consumer.start();
    try {
      await eventually(() => expect(handled).toEqual(['1', '2', '3', '5', '6', '7', '8']), 30_000, 50);
      expect(givenUp).toEqual(['4: poison after 3']);
      await eventually(async () => expect(await committedOffset(admin, groupId, topic)).toBe('8'), 10_000, 100);
      expect(consumer.pausedPartitions).toBe(0);
    } finally {
      await consumer.stop();
    }
  });
});
