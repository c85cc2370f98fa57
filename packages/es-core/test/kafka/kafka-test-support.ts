import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { outboxHeaders, type RecordedEvent } from '../../src/core/envelope/event-envelope';
import type { OutboundMessage } from '../../src/kafka/event-publisher';
import winston from 'winston';
import { createKafka, kafkaConfigShape, type KafkaConfig } from '../../src/kafka/kafka-config';
import { loadConfig } from '../../src/core/config/environment';
import type { Logger } from '../../src/core/logging/logger';
import { testEngines } from '../../src/testing';

/** Quiet unless TEST_LOG_LEVEL is set: an outage test would otherwise print every kafkajs connection error. */
export function testLogger(): Logger {
  const level = process.env.TEST_LOG_LEVEL;
  return winston.createLogger({
    level: level ?? 'error',
    silent: level === undefined,
    format: winston.format.json(),
    transports: [new winston.transports.Console()],
  });
}

export function testKafkaConfig(clientId = 'es-core-kafka-test'): KafkaConfig {
  return loadConfig(kafkaConfigShape, {
    REDPANDA_BROKERS: testEngines().kafkaBrokers.join(','),
    KAFKA_CLIENT_ID: clientId,
    KAFKA_REQUEST_TIMEOUT_MS: '10000',
  });
}

export function testKafka(clientId?: string): Kafka {
  return createKafka(testKafkaConfig(clientId), testLogger());
}

/** An event message as the relay builds it from an event row: key = aggregate id, envelope headers. */
export function eventMessage(topic: string, aggregateId: string, sequence: number, value?: Buffer | string): OutboundMessage {
  const event: RecordedEvent = {
    eventId: randomUUID(),
    type: 'Tested',
    schemaVersion: 1,
    aggregateType: 'Counter',
    aggregateId,
    sequence,
    occurredAt: new Date(),
    data: { sequence },
    metadata: { correlationId: randomUUID() },
  };
  return {
    topic,
    key: aggregateId,
    value: value ?? JSON.stringify({ ...event, occurredAt: event.occurredAt.toISOString() }),
    headers: outboxHeaders(event),
  };
}

export function uniqueTopic(prefix: string): string {
  return `test-${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface ReadMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * Everything in the topic up to its current end: the high watermarks are taken first and read up to, so the
 * result is exact (duplicates included), not "enough messages arrived".
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, Number(entry.high)]));
  await admin.disconnect();
  const positions = new Map([...ends.keys()].map((partition) => [partition, 0]));
  const done = () => [...ends].every(([partition, high]) => (positions.get(partition) ?? 0) >= high);
  const messages: ReadMessage[] = [];
  if (done()) return messages;

  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`read ${messages.length} messages of ${topic} before timing out; ends ${JSON.stringify([...ends])}`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          messages.push({
            partition,
            offset: message.offset,
            key: String(message.key),
            value: message.value ?? Buffer.alloc(0),
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
          });
          positions.set(partition, Number(message.offset) + 1);
          if (done()) {
            clearTimeout(deadline);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } catch {
    // Best effort: a leftover test topic harms nobody.
  } finally {
    await admin.disconnect();
  }
}
