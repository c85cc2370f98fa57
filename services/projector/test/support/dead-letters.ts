import { randomUUID } from 'node:crypto';
import { consumedMessageOf, type ConsumedMessage } from '@scylla-es/es-core/kafka';
import { Partitioners, type Consumer, type Kafka } from 'kafkajs';

/** Everything published to a dead-letter topic since the start, as the dlq-service would read it. */
export interface DeadLetterInbox {
  readonly received: ConsumedMessage[];
  close(): Promise<void>;
}

export async function deadLetterInbox(kafka: Kafka, topic: string): Promise<DeadLetterInbox> {
  const consumer: Consumer = kafka.consumer({ groupId: `dead-letters-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const received: ConsumedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ partition, message }) => void received.push(consumedMessageOf(topic, partition, message)) });
  return { received, close: () => consumer.disconnect() };
}

/** The partition the producer's default (Java-compatible murmur2) partitioner gives a key, as the relay's does. */
export function partitionOfKey(key: string, partitions: number): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return partitioner({ topic: 'any', partitionMetadata, message: { key, value: null } });
}
