import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { testEngines } from '../src/testing';

describe('the Kafka engine', () => {
  const kafka = new Kafka({ clientId: 'round-trip-test', brokers: [...testEngines().kafkaBrokers], logLevel: logLevel.NOTHING });

  it('round-trips keyed messages with headers, in order per key, through an idempotent producer', async () => {
    const topic = `round-trip-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, index) => ({
      key: `aggregate-${index % 3}`,
      value: JSON.stringify({ sequence: Math.floor(index / 3) + 1 }),
      headers: { 'event-type': 'Tested' },
    }));
    await producer.send({ topic, messages: sent });

    const consumer = kafka.consumer({ groupId: `round-trip-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; sequence: number; header: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`only ${received.length} of 30 messages arrived`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({
            key: String(message.key),
            sequence: (JSON.parse(String(message.value)) as { sequence: number }).sequence,
            header: String(message.headers?.['event-type']),
          });
          if (received.length === sent.length) {
            clearTimeout(deadline);
            resolve();
          }
        },
      });
    });
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();

    expect(received.every((message) => message.header === 'Tested')).toBe(true);
    for (const key of ['aggregate-0', 'aggregate-1', 'aggregate-2']) {
      expect(received.filter((message) => message.key === key).map((message) => message.sequence)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
    }
  });
});
