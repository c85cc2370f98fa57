import { durationMs, loadConfig, positiveInt } from '@scylla-es/es-core';
import { cqlConfigShape } from '@scylla-es/es-core/cql';
import { DEFAULT_DEAD_LETTER_TOPIC, kafkaConfigShape } from '@scylla-es/es-core/kafka';
import { httpConfigShape } from '@scylla-es/es-core/service';
import { z } from 'zod';

export const DLQ_PORT = 3002;

const topicName = z.string().regex(/^[\w.-]{1,200}$/);

/** Everything the dlq-service reads from its environment, validated once at start-up. */
export const dlqConfigShape = {
  ...cqlConfigShape,
  ...kafkaConfigShape,
  ...httpConfigShape(DLQ_PORT),
  /** The topic dead letters arrive on: the one the relay and the projector send them to. */
  DEAD_LETTER_TOPIC: topicName.default(DEFAULT_DEAD_LETTER_TOPIC),
  /** Consumer group shared by all dlq-service instances. */
  DLQ_GROUP_ID: z.string().regex(/^[\w.-]{1,200}$/).default('dlq-service'),
  /** Dead-letter partitions stored at the same time (each strictly in order). */
  DLQ_CONCURRENT_PARTITIONS: positiveInt(3),
  /** How long the group waits for a silent instance before handing its partitions to the others. */
  DLQ_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  /** Messages sent per second by replays (single and bulk together, per instance). */
  DLQ_REPLAY_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  /** The most a bulk replay may be asked to replay at once (`max`). */
  DLQ_BULK_REPLAY_MAX: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /**
   * How long a message's lock outlives a holder that died mid-change. Must exceed the longest change: a replay
   * is one Kafka send (KAFKA_REQUEST_TIMEOUT_MS) plus a few database writes.
   */
  DLQ_LOCK_TTL_SECONDS: z.coerce.number().int().min(10).max(3_600).default(120),
  /** The most events one time-range republish call may send (its `max`, and the default of `max`). */
  DLQ_REPUBLISH_MAX: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /**
   * How long one time-range republish call scans event_store before answering with a cursor to go on: the whole
   * table is read (neither type nor time is a key), so a sparse range must not hold a request for as long as that.
   */
  DLQ_REPUBLISH_TIME_BUDGET_MS: durationMs(20_000),
  /** Index rows a listing examines at most per request; past it the page is cut short, with a cursor to go on. */
  DLQ_LIST_SCAN_BUDGET: z.coerce.number().int().min(100).max(1_000_000).default(5_000),
  /** How long the counts behind /dlq/stats and the dlq_messages gauge are reused before being read again. */
  DLQ_STATS_MAX_AGE_MS: durationMs(5_000),
};

export type DlqConfig = z.infer<z.ZodObject<typeof dlqConfigShape>>;

export const loadDlqConfig = (env: NodeJS.ProcessEnv): DlqConfig => loadConfig(dlqConfigShape, env);
