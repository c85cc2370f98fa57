import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { EventUpcasting } from '@scylla-es/es-core';
import { CqlEventStore } from '@scylla-es/es-core/cql';
import { ensureTopics } from '@scylla-es/es-core/kafka';
import { engineEnvironment, migratedKeyspace, repositoryRoot, testEngines } from '@scylla-es/es-core/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { z } from 'zod';

export const engines = testEngines();

/** A relay test's own keyspace, topics and consumer name: suites never see each other's events. */
export interface RelayFixture {
  readonly keyspace: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly client: Client;
  readonly store: CqlEventStore;
  readonly kafka: Kafka;
  env(overrides?: Record<string, string>): NodeJS.ProcessEnv;
  /** Appends `count` events to an aggregate that is at `version`. */
  append(aggregateId: string, version: number, count: number, data?: object): Promise<void>;
  drop(): Promise<void>;
}

const testEvents = new EventUpcasting([
  { type: 'Ticked', schemaVersion: 1, schema: z.object({ tick: z.number().int(), padding: z.string().optional() }) },
]);

export async function relayFixture(name: string): Promise<RelayFixture> {
  const { client, keyspace, drop } = await migratedKeyspace(name);
  const topic = `${keyspace}.events`;
  const deadLetterTopic = `${keyspace}.dead-letters`;
  const store = new CqlEventStore(client, keyspace, () => testEvents);
  const kafka = new Kafka({ clientId: `${name}-test`, brokers: [...engines.kafkaBrokers], logLevel: logLevel.NOTHING });
  // Created here as the relay would, so collectors can subscribe before any relay instance has started.
  await ensureTopics(kafka, [{ topic }, { topic: deadLetterTopic }], { defaultPartitions: 3, defaultReplicationFactor: 1 });
  return {
    keyspace,
    topic,
    deadLetterTopic,
    client,
    store,
    kafka,
    env: (overrides = {}) => ({
      ...process.env,
      ...engineEnvironment(engines),
      SCYLLA_KEYSPACE: keyspace,
      RELAY_TOPICS: topic,
      DEAD_LETTER_TOPIC: deadLetterTopic,
      KAFKA_TOPIC_PARTITIONS: '3',
      PORT: '0',
      LOG_LEVEL: 'warn',
      CDC_WINDOW_MS: '2000',
      CDC_CONFIDENCE_WINDOW_MS: '1500',
      CDC_POLL_INTERVAL_MS: '200',
      CDC_LOOKBACK_MS: '120000',
      CDC_LEASE_TTL_SECONDS: '4',
      CDC_GENERATION_REFRESH_MS: '500',
      ...overrides,
    }),
    append: async (aggregateId, version, count, data = {}) => {
      await store.append({
        stream: { aggregateType: 'Clock', aggregateId },
        expectedVersion: version,
        events: Array.from({ length: count }, (_, index) => ({ type: 'Ticked', data: { tick: version + index + 1, ...data } })),
        metadata: { correlationId: randomUUID() },
        topic,
        occurredAt: new Date(),
      });
    },
    drop,
  };
}

export interface ReceivedEvent {
  readonly key: string;
  readonly aggregateId: string;
  readonly sequence: number;
  readonly eventId: string;
  readonly headers: Record<string, string>;
}

/** Reads a topic from the beginning into memory, for the whole test. */
export async function collect(kafka: Kafka, topic: string): Promise<{ received: ReceivedEvent[]; stop: () => Promise<void> }> {
  const received: ReceivedEvent[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: `collector-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
      const value = JSON.parse(String(message.value)) as { aggregateId?: string; sequence?: number; eventId?: string };
      received.push({
        key: String(message.key),
        aggregateId: value.aggregateId ?? headers['dlq-aggregate-id'] ?? '',
        sequence: value.sequence ?? Number(headers['dlq-sequence']),
        eventId: value.eventId ?? headers['dlq-event-id'] ?? '',
        headers,
      });
    },
  });
  return { received, stop: () => consumer.disconnect() };
}

/**
 * Every appended (aggregate, sequence) arrived, and each sequence was first seen after its predecessor: a
 * redelivery may repeat events, but a new event never overtakes an older one of its aggregate.
 */
export function missingOrOutOfOrder(received: readonly ReceivedEvent[], expected: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  for (const [aggregateId, count] of expected) {
    const sequences = received.filter((event) => event.aggregateId === aggregateId).map((event) => event.sequence);
    const firstSightings = sequences.filter((sequence, index) => sequences.indexOf(sequence) === index);
    const wanted = Array.from({ length: count }, (_, index) => index + 1);
    if (JSON.stringify(firstSightings) !== JSON.stringify(wanted)) {
      problems.push(`${aggregateId}: got ${JSON.stringify(firstSightings)}, wanted 1..${count}`);
    }
  }
  return problems;
}

export function duplicates(received: readonly ReceivedEvent[]): number {
  return received.length - new Set(received.map((event) => event.eventId)).size;
}

/** The relay as a separate process (`node dist/main.js`), so a test can SIGKILL it. */
export function spawnRelay(env: NodeJS.ProcessEnv, execArgv: readonly string[] = []): ChildProcess {
  return fork(path.join(repositoryRoot(), 'services', 'cdc-relay', 'dist', 'main.js'), [], {
    env,
    execArgv: [...execArgv],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

export function killed(child: ChildProcess): Promise<void> {
  return ended(child, 'SIGKILL');
}

/** A graceful stop: the relay saves its checkpoints and exits (and a --cpu-prof profile gets written). */
export function stopped(child: ChildProcess): Promise<void> {
  return ended(child, 'SIGTERM');
}

async function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
