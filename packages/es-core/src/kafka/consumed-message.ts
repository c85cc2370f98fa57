import type { KafkaMessage } from 'kafkajs';
import type { DeadLetter } from './dead-letter';

/** One record as a handler sees it: where it came from, its key, value and headers as text. */
export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit: kept as the broker's decimal text. */
  readonly offset: string;
  readonly key: string | undefined;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
  /** When the broker (or producer) stamped the record. */
  readonly timestamp: Date;
}

/** kafkajs's record with its headers decoded; a header sent several times keeps its last value. */
export function consumedMessageOf(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) headers[name] = last.toString();
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key === null ? undefined : message.key.toString(),
    value: message.value,
    headers,
    timestamp: new Date(Number(message.timestamp)),
  };
}

/** The offset to commit once `offset` is handled: Kafka commits name the next record to read. */
export function offsetAfter(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/** The dead letter of a record a consumer gives up: the record as it was read, and where it was read. */
export function deadLetterOfConsumed(message: ConsumedMessage, error: unknown, attempts: number): DeadLetter {
  return {
    message: { topic: message.topic, key: message.key ?? '', value: message.value ?? Buffer.alloc(0), headers: message.headers },
    error,
    attempts,
    consumedAt: { partition: message.partition, offset: message.offset },
  };
}
