import { Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import type { Logger } from '../core/logging/logger';
import type { EventPublisher, OutboundMessage } from './event-publisher';
import type { KafkaConfig } from './kafka-config';
import { messagesFrom, planPublishSteps, sameMessages, type BatchLimits } from './outbound-batches';
import {
  PermanentPublishError,
  TransientPublishError,
  classifyKafkaError,
  rootCause,
  type PublishFailure,
} from './publish-errors';

export interface KafkaEventPublisherOptions {
  /** Default 1 000 000, just under Kafka's default message.max.bytes (1 048 588). */
  readonly maxMessageBytes?: number;
  /** Default 500. */
  readonly maxBatchMessages?: number;
  /** How long the broker may take to have all in-sync replicas acknowledge. Default 30 s. */
  readonly ackTimeoutMs?: number;
  /**
   * kafkajs's own retries inside one publish: enough to ride out a leader election, short enough that an
   * outage reaches our backoff and circuit breaker quickly (each of them may also reconnect with the client's
   * KAFKA_RETRIES). Default 2.
   */
  readonly clientRetries?: number;
  readonly logger?: Logger;
}

/**
 * The kafkajs adapter of EventPublisher: an idempotent producer (acks=all, one request in flight per broker, so
 * a retried request can neither be written twice nor overtake the next one: per-partition order holds).
 *
 * How failures are told apart and pinned to messages:
 * - Refused before sending (unserialisable, larger than maxMessageBytes): permanent, no broker round trip.
 * - A request the broker rejects with a record-level error (MESSAGE_TOO_LARGE, INVALID_RECORD, …) fails as a
 *   whole and kafkajs reports only the first partition's error, so the culprit is unknown. The request's
 *   messages are then resent ONE BY ONE to isolate it; the others get through. Other partitions of the failed
 *   request may already have been written: those messages are written again (at-least-once; consumers
 *   dedupe by aggregate id and sequence). Rare, because the size check above catches the usual cause.
 * - Everything else is transient, including errors we do not recognise: nothing is ever dropped silently.
 *
 * Keeping the idempotent producer honest: kafkajs rewinds its sequence numbers after ANY failed request,
 * including one the broker partly or wholly wrote before the answer was lost. Resending that exact request
 * reuses the same sequence numbers and the broker discards the duplicate, as intended. Sending anything else
 * with those numbers could make the broker take new records for duplicates of the old ones and drop them
 * without an error. So after a failure, a request that is not the failed one, an isolation, or a
 * sequence-number error from the broker first replaces the producer (a new producer id, fresh sequences).
 *
 * Publishes run one at a time: with one request in flight kafkajs would serialise them per broker anyway, and
 * replacing the producer must not cut another publish short.
 */
export class KafkaEventPublisher implements EventPublisher {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** The request whose fate is unknown since it failed; only it may reuse the producer's sequence numbers. */
  private unacknowledged: readonly OutboundMessage[] | undefined;
  private producerSuspect = false;
  private readonly limits: BatchLimits;
  private readonly ackTimeoutMs: number;
  private readonly clientRetries: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaEventPublisherOptions = {},
  ) {
    this.limits = {
      maxMessageBytes: options.maxMessageBytes ?? 1_000_000,
      maxBatchMessages: options.maxBatchMessages ?? 500,
    };
    this.ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
    this.clientRetries = options.clientRetries ?? 2;
  }

  /** Connects eagerly (start-up, readiness); publishing connects on first use anyway. */
  async connect(): Promise<void> {
    await this.connectedProducer();
  }

  /** Waits for the publish in progress, then disconnects. */
  async disconnect(): Promise<void> {
    await this.queue;
    await this.replaceProducer();
  }

  publish(messages: readonly OutboundMessage[]): Promise<void> {
    const run = this.queue.then(
      () => this.publishInOrder(messages),
      () => this.publishInOrder(messages),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async publishInOrder(messages: readonly OutboundMessage[]): Promise<void> {
    const steps = planPublishSteps(messages, this.limits);
    const failures: PublishFailure[] = [];
    for (const [index, step] of steps.entries()) {
      if (step.kind === 'refuse') {
        failures.push({ message: step.message, error: step.error });
        continue;
      }
      try {
        await this.send(step.messages);
      } catch (error) {
        if (classifyKafkaError(error) !== 'permanent') throw pendingError(error, failures, messagesFrom(steps, index));
        await this.isolate(step.messages, error, failures, messagesFrom(steps, index + 1));
      }
    }
    if (failures.length > 0) throw new PermanentPublishError(failures);
  }

  /** Resends a rejected request's messages one by one, adding each one the broker refuses to `failures`. */
  private async isolate(
    request: readonly OutboundMessage[],
    requestError: unknown,
    failures: PublishFailure[],
    later: readonly OutboundMessage[],
  ): Promise<void> {
    const [only] = request;
    if (request.length === 1 && only !== undefined) {
      // A single record batch was refused whole: nothing was written, the sequence numbers are still right.
      failures.push({ message: only, error: rootCause(requestError) });
      return;
    }
    this.options.logger?.warn('Kafka refused a request for good; resending its messages one by one to find the culprit', {
      messages: request.length,
      error: rootCause(requestError).message,
    });
    this.producerSuspect = true;
    for (const [index, message] of request.entries()) {
      try {
        await this.send([message]);
      } catch (error) {
        if (classifyKafkaError(error) !== 'permanent') {
          throw pendingError(error, failures, [...request.slice(index), ...later]);
        }
        failures.push({ message, error: rootCause(error) });
      }
    }
  }

  private async send(messages: readonly OutboundMessage[]): Promise<void> {
    if (this.unacknowledged !== undefined && !sameMessages(this.unacknowledged, messages)) this.producerSuspect = true;
    if (this.producerSuspect) await this.replaceProducer();
    const producer = await this.connectedProducer();
    try {
      await producer.sendBatch({ topicMessages: byTopic(messages), acks: -1, timeout: this.ackTimeoutMs });
      this.unacknowledged = undefined;
    } catch (error) {
      const kind = classifyKafkaError(error);
      if (kind === 'producer-state') this.producerSuspect = true;
      if (kind === 'transient') this.unacknowledged = messages;
      throw error;
    }
  }

  private connectedProducer(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= this.newProducer().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async newProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Topics are created on purpose at start-up (ensureTopics); a typo must fail, not create a topic.
      allowAutoTopicCreation: false,
      // murmur2 on the key, like the Java client: the same aggregate lands on the same partition either way.
      createPartitioner: Partitioners.DefaultPartitioner,
      // kafkajs warns that limited retries may break exactly-once; see the class comment for why we may.
      retry: { retries: this.clientRetries, initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  /** Drops the producer; the next send starts a new one with a new producer id and fresh sequence numbers. */
  private async replaceProducer(): Promise<void> {
    const previous = this.producer;
    this.producer = undefined;
    this.producerSuspect = false;
    this.unacknowledged = undefined;
    if (previous) {
      await previous.disconnect().catch((error: unknown) =>
        this.options.logger?.warn('disconnecting the replaced Kafka producer failed', { error: String(error) }),
      );
    }
  }
}

/** A KafkaEventPublisher set up from the shared Kafka settings. */
export function createKafkaEventPublisher(kafka: Kafka, config: KafkaConfig, logger?: Logger): KafkaEventPublisher {
  return new KafkaEventPublisher(kafka, {
    maxMessageBytes: config.KAFKA_MAX_MESSAGE_BYTES,
    ackTimeoutMs: config.KAFKA_REQUEST_TIMEOUT_MS,
    ...(logger ? { logger } : {}),
  });
}

function byTopic(messages: readonly OutboundMessage[]): TopicMessages[] {
  const topics = new Map<string, TopicMessages>();
  for (const { topic, key, value, headers } of messages) {
    let entry = topics.get(topic);
    if (!entry) {
      entry = { topic, messages: [] };
      topics.set(topic, entry);
    }
    entry.messages.push({ key, value, headers: { ...headers } });
  }
  return [...topics.values()];
}

/** The error for a publish cut short: failures found so far must still reach the caller to be dead-lettered. */
function pendingError(cause: unknown, failures: readonly PublishFailure[], remaining: readonly OutboundMessage[]) {
  return failures.length > 0
    ? new PermanentPublishError([...failures], remaining, cause)
    : new TransientPublishError(cause, remaining);
}
