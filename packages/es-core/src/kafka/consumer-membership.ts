import type { Logger } from '../core/logging/logger';
import { retry } from '../core/resilience/backoff';
import type { CommittingConsumer } from './committing-consumer';

/** Where a service hooks a consumer's membership in: its shutdown steps, readiness checks and log. */
export interface ConsumerMembershipHooks {
  readonly logger: Logger;
  /** Registers a shutdown step (a service's `stopWith`). */
  stopWith(name: string, run: () => Promise<void>): void;
  /** Registers a readiness check (a service's health registry). */
  registerHealth(name: string, check: () => Promise<Readonly<Record<string, unknown>>>): void;
  /** What the readiness check reports besides the paused partitions. */
  readonly details?: () => Readonly<Record<string, unknown>>;
  /** Fields of the "consuming" log line (topics, group). */
  readonly described: Readonly<Record<string, unknown>>;
}

/**
 * Keeps a service's consumer in its group: readiness is down until the group has assigned it partitions, a
 * shutdown leaves the group after the record being handled, and joining is retried until it works or the
 * service stops, so a broker that is down for a moment cannot leave an instance serving but never consuming.
 * Returns the function that starts joining (once the service serves).
 */
export function keepConsumerJoined(consumer: CommittingConsumer, hooks: ConsumerMembershipHooks): () => void {
  const { logger } = hooks;
  const stopping = new AbortController();
  hooks.stopWith('leave the consumer group', () => {
    stopping.abort();
    return consumer.stop();
  });
  hooks.registerHealth('consumer', async () => {
    if (!consumer.joined) throw new Error('the consumer group has not assigned partitions yet');
    return { pausedPartitions: consumer.pausedPartitions, ...hooks.details?.() };
  });
  return () => {
    retry(() => consumer.start(), {
      isRetryable: () => true,
      signal: stopping.signal,
      backoff: { initialDelayMs: 500, maxDelayMs: 10_000 },
      onRetry: ({ error, delayMs }) => logger.warn('joining the consumer group failed; retrying', { delayMs, error: messageOf(error) }),
    }).then(
      () => logger.info('consuming', hooks.described),
      (error: unknown) => {
        if (!stopping.signal.aborted) logger.error('the consumer could not start', { error: messageOf(error) });
      },
    );
  };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
