import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { customerAggregate, orderAggregate } from '@scylla-es/domain';
import { type EventUpcasting, type NewEvent, type RecordedEvent } from '@scylla-es/es-core';
import { CqlEventStore } from '@scylla-es/es-core/cql';
import { ensureTopics } from '@scylla-es/es-core/kafka';
import { engineEnvironment, migratedKeyspace, testEngines } from '@scylla-es/es-core/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';

export const engines = testEngines();

const upcastings: ReadonlyMap<string, EventUpcasting> = new Map([
  ['Order', orderAggregate().events],
  ['Customer', customerAggregate().events],
]);

/** A projector test's own keyspace and topics: suites never see each other's events or offsets. */
export interface ProjectorFixture {
  readonly keyspace: string;
  readonly orderTopic: string;
  readonly customerTopic: string;
  readonly deadLetterTopic: string;
  readonly client: Client;
  readonly store: CqlEventStore;
  readonly kafka: Kafka;
  env(overrides?: Record<string, string>): NodeJS.ProcessEnv;
  /** Appends domain events to event_store, as the command-service would, and returns them as recorded. */
  append(aggregateType: 'Order' | 'Customer', aggregateId: string, version: number, events: readonly NewEvent[]): Promise<RecordedEvent[]>;
  /** Publishes events to their topic in the relay's message format, keyed by aggregate, in the order given. */
  publish(events: readonly RecordedEvent[]): Promise<void>;
  /** Publishes one record as given: a malformed message, or a replay as the dlq-service sends it. */
  publishRecord(topic: string, record: { key: string; value: Buffer | string; headers?: Record<string, string> }): Promise<void>;
  drop(): Promise<void>;
}

export const READ_TOKEN = 'projector-reader-token';
export const WRITE_TOKEN = 'projector-writer-token';
export const ADMIN_TOKEN = 'projector-admin-token';

export async function projectorFixture(name: string): Promise<ProjectorFixture> {
  const { client, keyspace, drop } = await migratedKeyspace(name);
  const orderTopic = `${keyspace}.orders`;
  const customerTopic = `${keyspace}.customers`;
  const deadLetterTopic = `${keyspace}.dead-letters`;
  const store = new CqlEventStore(client, keyspace, (aggregateType) => {
    const upcasting = upcastings.get(aggregateType);
    if (!upcasting) throw new Error(`unknown aggregate type ${aggregateType}`);
    return upcasting;
  });
  const kafka = new Kafka({ clientId: `${name}-test`, brokers: [...engines.kafkaBrokers], logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [{ topic: orderTopic }, { topic: customerTopic }, { topic: deadLetterTopic }], {
    defaultPartitions: 3,
    defaultReplicationFactor: 1,
  });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const topicOf = (aggregateType: string) => (aggregateType === 'Order' ? orderTopic : customerTopic);
  return {
    keyspace,
    orderTopic,
    customerTopic,
    deadLetterTopic,
    client,
    store,
    kafka,
    env: (overrides = {}) => ({
      ...process.env,
      ...engineEnvironment(engines),
      SCYLLA_KEYSPACE: keyspace,
      PROJECTOR_TOPICS: `${orderTopic},${customerTopic}`,
      PROJECTOR_GROUP_ID: `${keyspace}-projector`,
      DEAD_LETTER_TOPIC: deadLetterTopic,
      KAFKA_TOPIC_PARTITIONS: '3',
      AUTH_TOKENS: `${READ_TOKEN}:read,${WRITE_TOKEN}:write,${ADMIN_TOKEN}:admin`,
      PORT: '0',
      LOG_LEVEL: 'warn',
      KAFKA_LOG_LEVEL: 'error',
      ...overrides,
    }),
    append: async (aggregateType, aggregateId, version, events) => {
      const result = await store.append({
        stream: { aggregateType, aggregateId },
        expectedVersion: version,
        events,
        metadata: { correlationId: randomUUID() },
        topic: topicOf(aggregateType),
        occurredAt: new Date(),
      });
      return [...result.events];
    },
    publish: async (events) => {
      for (const event of events) {
        await producer.send({ topic: topicOf(event.aggregateType), messages: [{ key: event.aggregateId, value: relayEnvelope(event) }] });
      }
    },
    publishRecord: async (topic, { key, value, headers = {} }) => {
      await producer.send({ topic, messages: [{ key, value, headers }] });
    },
    drop: async () => {
      await producer.disconnect();
      await drop();
    },
  };
}

/** The message value the cdc-relay publishes for an event (services/cdc-relay/src/event-message.ts). */
export function relayEnvelope(event: RecordedEvent): string {
  const { eventId, type, schemaVersion, aggregateType, aggregateId, sequence, occurredAt, data, metadata } = event;
  return JSON.stringify({ eventId, type, schemaVersion, aggregateType, aggregateId, sequence, occurredAt: occurredAt.toISOString(), data, metadata });
}
