import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { OutboxHeader, outboxHeaders, type RecordedEvent } from '@scylla-es/es-core';
import { DeadLetterHeader, deadLetterMessage, ensureTopics, type OutboundMessage } from '@scylla-es/es-core/kafka';
import { engineEnvironment, migratedKeyspace, testEngines } from '@scylla-es/es-core/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';

export const engines = testEngines();

export const READ_TOKEN = 'dlq-reader-token-0123';
export const ADMIN_TOKEN = 'dlq-admin-token-4567';
export const ADMIN_NAME = 'alice';

/** A dlq-service test's own keyspace and topics: suites never see each other's messages or offsets. */
export interface DlqFixture {
  readonly keyspace: string;
  readonly deadLetterTopic: string;
  readonly eventTopic: string;
  readonly client: Client;
  readonly kafka: Kafka;
  env(overrides?: Record<string, string>): NodeJS.ProcessEnv;
  /** Sends records to the dead-letter topic as they are, in order (per key). */
  sendDeadLetters(messages: readonly OutboundMessage[]): Promise<void>;
  drop(): Promise<void>;
}

export async function dlqFixture(name: string): Promise<DlqFixture> {
  const { client, keyspace, drop } = await migratedKeyspace(name);
  const deadLetterTopic = `${keyspace}.dead-letters`;
  const eventTopic = `${keyspace}.orders`;
  const kafka = new Kafka({ clientId: `${name}-test`, brokers: [...engines.kafkaBrokers], logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [{ topic: deadLetterTopic }, { topic: eventTopic }], { defaultPartitions: 3, defaultReplicationFactor: 1 });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    keyspace,
    deadLetterTopic,
    eventTopic,
    client,
    kafka,
    env: (overrides = {}) => ({
      ...process.env,
      ...engineEnvironment(engines),
      SCYLLA_KEYSPACE: keyspace,
      DEAD_LETTER_TOPIC: deadLetterTopic,
      DLQ_GROUP_ID: `${keyspace}-dlq`,
      KAFKA_TOPIC_PARTITIONS: '3',
      AUTH_TOKENS: `reader:${READ_TOKEN}:read,${ADMIN_NAME}:${ADMIN_TOKEN}:admin`,
      DLQ_STATS_MAX_AGE_MS: '0',
      PORT: '0',
      LOG_LEVEL: 'warn',
      KAFKA_LOG_LEVEL: 'error',
      ...overrides,
    }),
    sendDeadLetters: async (messages) => {
      for (let start = 0; start < messages.length; start += 200) {
        const records = messages.slice(start, start + 200).map((message) => ({ key: message.key, value: message.value, headers: { ...message.headers } }));
        await producer.send({ topic: deadLetterTopic, messages: records });
      }
    },
    drop: async () => {
      await producer.disconnect();
      await drop();
    },
  };
}

/** An event as the relay publishes it (es-core's eventRowMessage of its row). */
export function orderEvent(topic: string, aggregateId: string, sequence: number, type = 'OrderConfirmed'): RecordedEvent & { readonly topic: string } {
  return {
    topic,
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    aggregateType: 'Order',
    aggregateId,
    sequence,
    occurredAt: new Date('2026-11-27T10:00:00.000Z'),
    data: { note: `event ${sequence}` },
    metadata: { correlationId: randomUUID() },
  };
}

export function eventMessageOf(event: ReturnType<typeof orderEvent>): OutboundMessage {
  const { eventId, type, schemaVersion, aggregateType, aggregateId, sequence, occurredAt, data, metadata } = event;
  return {
    topic: event.topic,
    key: aggregateId,
    value: JSON.stringify({ eventId, type, schemaVersion, aggregateType, aggregateId, sequence, occurredAt: occurredAt.toISOString(), data, metadata }),
    headers: outboxHeaders(event),
  };
}

export interface PoisonOptions {
  readonly attempts?: number;
  readonly failedAt?: Date;
  readonly partition?: number;
  readonly offset?: string;
  readonly errorClass?: string;
  readonly source?: string;
}

/**
 * The dead letter a consumer (the projector) sends when it gives a record up (docs/parking-and-replay.md): es-core's
 * dead letter of the consumed record, plus where it was read.
 */
export function poisonDeadLetter(deadLetterTopic: string, original: OutboundMessage, options: PoisonOptions = {}): OutboundMessage {
  const error = new Error(`cannot apply ${original.headers[OutboxHeader.eventType] ?? 'the event'}`);
  error.name = options.errorClass ?? 'ProjectionError';
  const letter = deadLetterMessage({ message: original, error, attempts: options.attempts ?? 5 }, options.failedAt ?? new Date(), {
    sourceService: options.source ?? 'projector',
    topic: deadLetterTopic,
  });
  return {
    ...letter,
    headers: {
      ...letter.headers,
      [DeadLetterHeader.originalPartition]: String(options.partition ?? 0),
      [DeadLetterHeader.originalOffset]: options.offset ?? '41',
    },
  };
}
