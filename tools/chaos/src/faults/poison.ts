import { randomUUID } from 'node:crypto';
import { ORDER_TOPIC } from '@scylla-es/domain';
import type { Kafka } from 'kafkajs';
import { poisonOrderMessage } from '../../../../infra/local/poison-event.cjs';

/**
 * Publishes poison events (order events of a type the domain does not know, the same the dead-letter demo sends)
 * straight to the order topic: no projection can apply them, however often it tries, so the projector must park
 * each one's aggregate and dead-letter it. The aggregates are new, so nothing of the load's is held behind them.
 * Returns their aggregate ids.
 */
export async function publishPoison(kafka: Kafka, count: number): Promise<string[]> {
  const orderIds = Array.from({ length: count }, () => randomUUID());
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: ORDER_TOPIC, messages: orderIds.map((orderId) => poisonOrderMessage(orderId)) });
  } finally {
    await producer.disconnect();
  }
  return orderIds;
}
