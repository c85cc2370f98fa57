import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { z } from 'zod';
import { hostList, positiveInt } from '../core/config/environment';
import type { Logger } from '../core/logging/logger';

/**
 * Kafka broker settings every service shares. Kafka's own default message.max.bytes is 1 048 588 bytes;
 * KAFKA_MAX_MESSAGE_BYTES stays a little below it so the record-batch overhead never tips a message over.
 */
export const kafkaConfigShape = {
  REDPANDA_BROKERS: hostList(9092).default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'letters, digits, ".", "_" and "-", at most 100')
    .default('scylla-es'),
  /** Partitions of a topic created at start-up; more partitions = more parallel consumers per topic. */
  KAFKA_TOPIC_PARTITIONS: positiveInt(3),
  KAFKA_TOPIC_REPLICATION_FACTOR: positiveInt(1),
  /** How long a request may wait for the broker (produce: for acks=all). */
  KAFKA_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  KAFKA_CONNECTION_TIMEOUT_MS: positiveInt(3_000),
  /** Larger messages are refused before sending (and dead-lettered by the relay); must not exceed the broker's. */
  KAFKA_MAX_MESSAGE_BYTES: positiveInt(1_000_000),
  /**
   * kafkajs's own retries of one operation (connect, metadata, admin calls, consumer restarts) before the
   * caller sees the error. Kept low: callers retry with their own backoff (the relay forever, behind a
   * circuit breaker), and kafkajs's nested retries multiply (a produce retry reconnects, which retries too).
   */
  KAFKA_RETRIES: z.coerce.number().int().min(0).max(20).default(3),
  /** kafkajs's own log level; winston's level filters again. */
  KAFKA_LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
};

export type KafkaConfig = z.infer<z.ZodObject<typeof kafkaConfigShape>>;

const KAFKAJS_LEVEL = {
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
} as const satisfies Record<KafkaConfig['KAFKA_LOG_LEVEL'], logLevel>;

/** A kafkajs client whose logs are winston JSON lines like every other line the service writes. */
export function createKafka(config: KafkaConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: [...config.REDPANDA_BROKERS],
    requestTimeout: config.KAFKA_REQUEST_TIMEOUT_MS,
    connectionTimeout: config.KAFKA_CONNECTION_TIMEOUT_MS,
    retry: { retries: config.KAFKA_RETRIES, initialRetryTime: 300, maxRetryTime: 5_000 },
    logLevel: KAFKAJS_LEVEL[config.KAFKA_LOG_LEVEL],
    logCreator: winstonLogCreator(logger),
  });
}

/** Routes kafkajs log entries into a winston logger, tagged with kafkajs's namespace (Producer, Cluster, …). */
export function winstonLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      // kafkajs's timestamp and logger name duplicate what winston adds; `message` is winston's own field.
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      kafkaLogger.log(winstonLevel(level), message, { kafkaNamespace: namespace, ...fields });
    };
}

function winstonLevel(level: logLevel): 'error' | 'warn' | 'info' | 'debug' {
  switch (level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
}
