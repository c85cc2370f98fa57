import { randomUUID } from 'node:crypto';
import { consumedMessageOf, type ConsumedMessage } from '@scylla-es/es-core/kafka';
import type { Consumer, Kafka } from 'kafkajs';

/** Everything that arrives on a topic from its beginning, as a consumer of that topic sees it. */
export interface TopicReader {
  readonly messages: readonly ConsumedMessage[];
  stop(): Promise<void>;
}

export async function readTopic(kafka: Kafka, topic: string): Promise<TopicReader> {
  const messages: ConsumedMessage[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.run({ eachMessage: async ({ partition, message }) => void messages.push(consumedMessageOf(topic, partition, message)) });
  const deadline = Date.now() + 30_000;
  while (!joined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return { messages, stop: () => consumer.disconnect() };
}
