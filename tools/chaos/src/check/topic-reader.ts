import { randomUUID } from 'node:crypto';
import { consumedMessageOf, type ConsumedMessage } from '@scylla-es/es-core/kafka';
import type { Kafka } from 'kafkajs';

/**
 * Every message of `topics` from the start of each partition up to its end as it was when the call began (and
 * whatever arrived meanwhile), read by a consumer of its own that commits nothing. Only messages `keep` accepts
 * are held in memory: the domain's topics carry every other run's events too.
 */
export async function readTopicsToEnd(
  kafka: Kafka,
  topics: readonly string[],
  keep: (message: ConsumedMessage) => boolean,
  timeoutMs = 300_000,
): Promise<ConsumedMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) remaining.set(`${topic}/${partition}`, BigInt(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const kept: ConsumedMessage[] = [];
  if (remaining.size === 0) return kept;
  const consumer = kafka.consumer({ groupId: `chaos-checker-${randomUUID()}`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${topics.join(', ')} not read to the end within ${timeoutMs} ms (${remaining.size} partitions left)`)), timeoutMs);
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              const consumed = consumedMessageOf(batch.topic, batch.partition, message);
              if (keep(consumed)) kept.push(consumed);
            }
            const partition = `${batch.topic}/${batch.partition}`;
            const end = remaining.get(partition);
            if (end !== undefined && batch.messages.length > 0 && BigInt(batch.lastOffset()) + 1n >= end) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return kept;
}
