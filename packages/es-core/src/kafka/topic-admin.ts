import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import type { Logger } from '../core/logging/logger';
import { sleep } from '../core/resilience/backoff';

export interface TopicSpec {
  readonly topic: string;
  /** Default: EnsureTopicsOptions.defaultPartitions (KAFKA_TOPIC_PARTITIONS). */
  readonly partitions?: number;
  readonly replicationFactor?: number;
  /** Topic-level configs, e.g. { 'retention.ms': '-1', 'cleanup.policy': 'compact' }. */
  readonly config?: Readonly<Record<string, string>>;
}

export interface EnsureTopicsOptions {
  readonly defaultPartitions?: number;
  readonly defaultReplicationFactor?: number;
  /** How long to wait for creation and for every partition to have a leader. Default 30 s. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

export interface EnsureTopicsResult {
  /** Created by this call (empty when another instance created any of them at the same time). */
  readonly created: readonly string[];
  /** Every listed topic's partition count, as the broker has it (a consumer can walk the partitions by it). */
  readonly partitions: ReadonlyMap<string, number>;
}

const LEADER_POLL_MS = 100;

/**
 * Creates the topics that are missing and waits until every partition of every listed topic has a leader,
 * so the first produce does not fail with LEADER_NOT_AVAILABLE. Idempotent, and safe when several instances
 * start at once: "already exists" from a racing instance counts as success (the broker never auto-creates;
 * see infra/local/kafka: a missing topic must be created on purpose, with the right partition count).
 *
 * An existing topic is never altered: adding partitions would move keys to other partitions and break the
 * per-aggregate order consumers rely on; a mismatch is logged for an operator to decide.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly TopicSpec[],
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  const names = topics.map((spec) => spec.topic);
  if (new Set(names).size !== names.length) throw new RangeError(`a topic is listed twice: ${names.join(', ')}`);
  if (names.length === 0) return { created: [], partitions: new Map() };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic)).map((spec) => topicConfig(spec, options));
    const created = missing.length > 0 ? await createTolerantly(admin, missing, timeoutMs) : [];
    if (created.length > 0) options.logger?.info('created Kafka topics', { topics: created });
    const metadata = await waitForLeaders(admin, names, timeoutMs);
    warnAboutPartitionMismatches(topics, metadata, options);
    return { created, partitions: metadata };
  } finally {
    await admin.disconnect();
  }
}

function topicConfig(spec: TopicSpec, options: EnsureTopicsOptions): ITopicConfig {
  return {
    topic: spec.topic,
    numPartitions: spec.partitions ?? options.defaultPartitions ?? 3,
    replicationFactor: spec.replicationFactor ?? options.defaultReplicationFactor ?? 1,
    configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
  };
}

/**
 * Returns the topics this call created. kafkajs answers false, without throwing, when the only errors were
 * "already exists": then another instance raced us to at least one of them, kafkajs does not say which, and
 * none are reported as ours (the list only feeds a log line). Any other error is thrown.
 */
async function createTolerantly(admin: Admin, topics: ITopicConfig[], timeoutMs: number): Promise<string[]> {
  // Leaders are awaited afterwards for all topics, including ones a racing instance created.
  const createdAll = await admin.createTopics({ topics, waitForLeaders: false, timeout: timeoutMs });
  return createdAll ? topics.map(({ topic }) => topic) : [];
}

type TopicPartitions = ReadonlyMap<string, number>;

/** Polls metadata until every partition of every topic has a leader; returns each topic's partition count. */
async function waitForLeaders(admin: Admin, topics: readonly string[], timeoutMs: number): Promise<TopicPartitions> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no metadata yet';
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const leaderless = metadata.filter(
        (topic) => topic.partitions.length === 0 || topic.partitions.some((partition) => partition.leader < 0),
      );
      if (leaderless.length === 0 && metadata.length === topics.length) {
        return new Map(metadata.map((topic) => [topic.name, topic.partitions.length]));
      }
      lastProblem = `no leader yet for ${leaderless.map((topic) => topic.name).join(', ') || 'some topics'}`;
    } catch (error) {
      // Right after creation the broker may still answer UNKNOWN_TOPIC_OR_PARTITION or LEADER_NOT_AVAILABLE.
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) throw new Error(`Kafka topics not ready after ${timeoutMs} ms: ${lastProblem}`);
    await sleep(LEADER_POLL_MS);
  }
}

function warnAboutPartitionMismatches(
  topics: readonly TopicSpec[],
  partitions: TopicPartitions,
  options: EnsureTopicsOptions,
): void {
  for (const spec of topics) {
    const wanted = spec.partitions ?? options.defaultPartitions ?? 3;
    const actual = partitions.get(spec.topic);
    if (actual !== undefined && actual !== wanted) {
      options.logger?.warn('Kafka topic has a different partition count than configured; left unchanged', {
        topic: spec.topic,
        partitions: actual,
        configured: wanted,
      });
    }
  }
}
