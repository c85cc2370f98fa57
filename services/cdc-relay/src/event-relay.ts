import type { Logger } from '@scylla-es/es-core';
import type { CdcChange } from '@scylla-es/es-core/cdc';
import {
  ensureTopics,
  type EnsureTopicsOptions,
  type DeadLetterSink,
  type EventPublisher,
  MalformedEventRowError,
} from '@scylla-es/es-core/kafka';
import type { Kafka } from 'kafkajs';
import { eventIdOf, eventMessage, isEventInsert, rawRowMessage } from './event-message';
import { RecentEvents } from './recent-events';

export interface EventRelayOptions {
  readonly kafka: Kafka;
  readonly publisher: EventPublisher;
  readonly deadLetters: DeadLetterSink;
  readonly knownTopics: readonly string[];
  readonly topicDefaults: EnsureTopicsOptions;
  readonly dlqFallbackTopic: string;
  readonly logger: Logger;
  /** How many published event ids to remember, to drop repeats of re-committed transactions. */
  readonly recentEventCapacity: number;
  readonly onRowsRead?: (count: number) => void;
  readonly onRepeatSkipped?: () => void;
}

/**
 * Turns one page of CDC changes into Kafka messages and resolves only when Kafka acknowledged all of them
 * (the CDC reader then checkpoints). Order within the page is the log's order, which for one aggregate is its
 * sequence order; the publisher keeps it per key.
 */
export class EventRelay {
  private readonly ensuredTopics: Set<string>;
  private readonly recent: RecentEvents;

  constructor(private readonly options: EventRelayOptions) {
    this.ensuredTopics = new Set(options.knownTopics);
    this.recent = new RecentEvents(options.recentEventCapacity);
  }

  readonly publishChanges = async (changes: readonly CdcChange[]): Promise<void> => {
    this.options.onRowsRead?.(changes.length);
    const messages = [];
    const eventIds = new Set<string>();
    for (const change of changes) {
      if (!isEventInsert(change)) continue;
      const eventId = eventIdOf(change);
      if (eventId !== undefined && (this.recent.has(eventId) || eventIds.has(eventId))) {
        this.options.onRepeatSkipped?.();
        continue;
      }
      try {
        messages.push(eventMessage(change));
        if (eventId !== undefined) eventIds.add(eventId);
      } catch (error) {
        if (!(error instanceof MalformedEventRowError)) throw error;
        // A row that can never become a message: dead-letter it (its place in the stream is kept there).
        await this.options.deadLetters.send([
          { message: rawRowMessage(change, this.options.dlqFallbackTopic), error, attempts: 0 },
        ]);
      }
    }
    if (messages.length === 0) return;
    await this.ensureTopics(messages.map((message) => message.topic));
    await this.options.publisher.publish(messages);
    for (const eventId of eventIds) this.recent.add(eventId);
  };

  /** Rows name their own topic; one never seen before is created before its first message. */
  private async ensureTopics(topics: readonly string[]): Promise<void> {
    const missing = [...new Set(topics)].filter((topic) => !this.ensuredTopics.has(topic));
    if (missing.length === 0) return;
    await ensureTopics(
      this.options.kafka,
      missing.map((topic) => ({ topic })),
      { ...this.options.topicDefaults, logger: this.options.logger },
    );
    for (const topic of missing) this.ensuredTopics.add(topic);
  }
}
