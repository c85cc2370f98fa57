import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { BackoffOptions } from '../core/resilience/backoff';
import type { Logger } from '../core/logging/logger';
import { consumedMessageOf, offsetAfter, type ConsumedMessage } from './consumed-message';
import { FailedAttempts } from './failed-attempts';
import { handleByKey } from './keyed-batch';
import { PausedPartitions } from './paused-partitions';

/** What the consumer reports, for metrics: progress per partition and the pauses of failing ones. */
export interface ConsumerObserver {
  /** A record was handled and its offset will be committed; `lag` = records left behind it on the partition. */
  onHandled?(message: ConsumedMessage, lag: number): void;
  /** The handler failed: the partition is paused and the record tried again after `retryInMs`. */
  onPaused?(message: ConsumedMessage, error: unknown, retryInMs: number): void;
  /** A record that had failed was handled: its partition flows again. */
  onResumed?(message: ConsumedMessage): void;
  /** A record that kept failing was handed to the give-up policy, which took it out of the way. */
  onGivenUp?(message: ConsumedMessage, error: unknown, attempts: number): void;
}

/** What to do with a record that keeps failing for another reason than an outage (a poison message). */
export interface GiveUpPolicy {
  /** Failures of one record, outages not counted, after which it is given up. At least 1. */
  readonly afterAttempts: number;
  /**
   * Takes the record out of the way (parks it, dead-letters it) and resolves once that is durable: the record
   * then counts as handled and its offset is committed. When this throws, the record stays where it is and is
   * retried as before, and given up again at its next failure.
   */
  giveUp(message: ConsumedMessage, error: unknown, attempts: number): Promise<void>;
}

/** One partition of one topic, as the group assigns them. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface CommittingConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Where a group without committed offsets starts: the topics' beginning (default) or their end. */
  readonly fromBeginning?: boolean;
  /** Handles one record; resolves once everything it writes is written. */
  readonly handle: (message: ConsumedMessage) => Promise<void>;
  /**
   * Handles consecutive records of one key at once when it can (say, folds them into one write) and resolves
   * with how many, from the first on; 0 leaves them to `handle`. A run that throws is handled one by one with
   * `handle` (retries and give-up policy included): a run is a shortcut to the same outcome, never another one.
   */
  readonly handleRun?: (messages: readonly ConsumedMessage[]) => Promise<number>;
  /** Engine outages (logged as warnings): expected to heal by waiting. Other failures are logged as errors. */
  readonly isOutage: (error: unknown) => boolean;
  /** Between retries of a failed record. Default 200 ms growing to 10 s. */
  readonly retryBackoff?: BackoffOptions;
  /** Without one, a failing record is retried forever (the default); outages always are. */
  readonly giveUp?: GiveUpPolicy;
  /**
   * The group (re)assigned this member its partitions; called before any of their records is handled. State a
   * handler keeps per partition must be rebuilt from here: partitions may have moved to or from other members.
   */
  readonly onGroupJoin?: (assigned: readonly TopicPartition[]) => void;
  /** Partitions handled at the same time. Default 3. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Keys (aggregates) of one partition's batch handled at the same time, each key's records strictly in order.
   * Default 16: with one record at a time a partition could go no faster than one database round trip per record.
   */
  readonly keysConcurrently?: number;
  /**
   * How long the group waits for a silent member before giving its partitions to others: a crashed instance's
   * partitions stand still this long. Default 30 s (kafkajs's); the broker allows 6 s at the least by default.
   */
  readonly sessionTimeoutMs?: number;
  /** How long the broker may hold a fetch waiting for records. Default 100 ms, for a low end-to-end latency. */
  readonly maxWaitTimeInMs?: number;
  readonly logger?: Logger;
  readonly observer?: ConsumerObserver;
}

/**
 * A consumer-group member that commits an offset only after the handler finished the record (and every record
 * before it on the partition), so a crash re-delivers rather than loses. A record whose handler fails is never
 * skipped: its partition is paused, the record is tried again after a backoff (while the database is down,
 * until it is back), and the partition resumes once it succeeds. With a give-up policy, a record that fails
 * for another reason than an outage that many times is handed to the policy instead, and its key moves on once
 * the policy has taken it. Other partitions keep flowing meanwhile. Records of one key are handled in order,
 * different keys of a batch concurrently (handleByKey). Delivery is at least once: handlers must be idempotent.
 */
export class CommittingConsumer {
  private readonly consumer: Consumer;
  private readonly paused: PausedPartitions;
  private readonly failures = new FailedAttempts();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private assigned = false;

  constructor(private readonly options: CommittingConsumerOptions) {
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 100,
      sessionTimeout,
      // Several heartbeats fit in a session, so one late heartbeat does not cost the membership.
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
    });
    this.paused = new PausedPartitions(options.retryBackoff ?? { initialDelayMs: 200, maxDelayMs: 10_000 });
    // A rebalance re-reads every partition from its committed offset: holds from before it no longer apply.
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.paused.clear();
      this.failures.clear();
      this.assigned = true;
      options.onGroupJoin?.(
        Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition }))),
      );
    });
  }

  /** Connects, joins the group and starts handling; resolves once the consumer runs. */
  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.options.topics], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Whether the group has assigned this member its partitions at least once (tests wait for it). */
  get joined(): boolean {
    return this.assigned;
  }

  /** Partitions currently paused on a failing record. */
  get pausedPartitions(): number {
    return this.paused.size;
  }

  /** Leaves the group after the record being handled; what was handled is committed, the rest is re-delivered. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer.disconnect();
  }

  private async handleBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const first = batch.messages[0];
    if (!first || !this.paused.mayHandle(topic, partition, first.offset)) return;
    const messages = batch.messages.map((record) => consumedMessageOf(topic, partition, record));
    const { handledThrough, failed } = await handleByKey(messages, {
      concurrency: this.options.keysConcurrently ?? 16,
      handle: (message) => this.handleOne(message),
      ...(this.options.handleRun ? { handleRun: (run: readonly ConsumedMessage[]) => this.handleRun(run) } : {}),
      shouldContinue: () => !this.stopped && isRunning() && !isStale(),
      onHandledThrough: async (message) => {
        resolveOffset(message.offset);
        await heartbeat();
      },
    });
    if (handledThrough) {
      for (const message of messages) {
        if (BigInt(message.offset) > BigInt(handledThrough.offset)) break;
        this.options.observer?.onHandled?.(message, Number(BigInt(batch.highWatermark) - BigInt(offsetAfter(message.offset))));
      }
      this.releasedThrough(messages, handledThrough);
    }
    if (failed) this.holdPartition(failed.record, failed.error, pause);
    // Committed only now that the writes of every record up to it are done; never past a failed record.
    if (handledThrough !== undefined) {
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: offsetAfter(handledThrough.offset) }] }] });
    }
  }

  /** Handles a record; a failure that is not an outage counts, and past the policy's bound gives the record up. */
  private async handleOne(message: ConsumedMessage): Promise<void> {
    try {
      await this.options.handle(message);
    } catch (error) {
      const policy = this.options.giveUp;
      if (!policy || this.options.isOutage(error)) throw error;
      const attempts = this.failures.count(message);
      if (attempts < policy.afterAttempts) throw error;
      // A give-up that fails (its own engine is down) leaves the record to be retried and given up again.
      await policy.giveUp(message, error, attempts);
      this.options.logger?.warn('record given up after repeated failures', {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        key: message.key,
        attempts,
        error: error instanceof Error ? error.message : String(error),
      });
      this.options.observer?.onGivenUp?.(message, error, attempts);
    }
    this.failures.forget(message);
  }

  private async handleRun(messages: readonly ConsumedMessage[]): Promise<number> {
    const taken = (await this.options.handleRun?.(messages)) ?? 0;
    for (const message of messages.slice(0, taken)) this.failures.forget(message);
    return taken;
  }

  /** The record failed: its partition is paused, and resumed for a retry after the backoff. */
  private holdPartition(message: ConsumedMessage, error: unknown, pause: () => () => void): void {
    const retryInMs = this.paused.hold(message.topic, message.partition, message.offset);
    const resume = pause();
    this.log(message, error, retryInMs);
    this.options.observer?.onPaused?.(message, error, retryInMs);
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (!this.stopped) resume();
    }, retryInMs);
    this.resumeTimers.add(timer);
  }

  /** Every record up to `handled` went through: if the partition was held on one of them, it flows again. */
  private releasedThrough(messages: readonly ConsumedMessage[], handled: ConsumedMessage): void {
    const heldAt = this.paused.releaseThrough(handled.topic, handled.partition, handled.offset);
    if (heldAt === undefined) return;
    this.options.observer?.onResumed?.(messages.find((message) => message.offset === heldAt) ?? handled);
    this.options.logger?.info('consumer partition resumed', { topic: handled.topic, partition: handled.partition, offset: heldAt });
  }

  private log(message: ConsumedMessage, error: unknown, retryInMs: number): void {
    const fields = {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      key: message.key,
      retryInMs,
      error: error instanceof Error ? error.message : String(error),
    };
    if (this.options.isOutage(error)) this.options.logger?.warn('engine unavailable: partition paused', fields);
    else this.options.logger?.error('handler failed: partition paused, the record will be retried', fields);
  }
}
