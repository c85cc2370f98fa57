import type { Metrics } from '@scylla-es/es-core/service';
import type { ConsumerObserver } from '@scylla-es/es-core/kafka';
import { Counter, Gauge } from 'prom-client';
import { DLQ_STATUSES } from './messages/dlq-message';
import type { StatsCache } from './store/message-stats';

/** The dlq-service's own series (docs/dlq-service.md). */
export interface DlqMetrics {
  ingested(source: string): void;
  duplicateSkipped(source: string): void;
  replayed(source: string): void;
  replayFailed(source: string): void;
  discarded(source: string): void;
  republished(count: number): void;
  readonly consumerObserver: ConsumerObserver;
}

/**
 * Counters move as things happen; the gauges are the stored counts, taken from the stats cache at each scrape
 * (refreshed in the background when stale, so a scrape never waits for the database or fails with it).
 */
export function createDlqMetrics({ registry }: Metrics, stats: StatsCache, pausedPartitionCount: () => number): DlqMetrics {
  const registers = [registry];
  const bySource = (name: string, help: string) => new Counter({ name, help, labelNames: ['source'], registers });
  const ingested = bySource('dlq_messages_ingested_total', 'Dead letters stored: new messages and new failures of stored ones, by source service');
  const duplicates = bySource('dlq_dead_letters_duplicate_total', 'Dead letters delivered again and skipped (already stored), by source service');
  const replayed = bySource('dlq_messages_replayed_total', 'Messages replayed to their original topic, by source service');
  const replayFailures = bySource('dlq_replay_failures_total', 'Replays that could not be sent (the message stays as it was), by source service');
  const discarded = bySource('dlq_messages_discarded_total', 'Messages discarded by an operator, by source service');
  const republished = new Counter({ name: 'dlq_events_republished_total', help: 'Events re-sent from event_store by /dlq/republish', registers });
  const refresh = () => void stats.get().catch(() => undefined);
  new Gauge({
    name: 'dlq_messages',
    help: 'Stored messages by source service and status (as of the last stats read, at most DLQ_STATS_MAX_AGE_MS old)',
    labelNames: ['source', 'status'],
    registers,
    collect() {
      refresh();
      this.reset();
      for (const [source, counts] of Object.entries(stats.latest?.bySource ?? {})) {
        for (const status of DLQ_STATUSES) this.set({ source, status }, counts[status]);
      }
    },
  });
  new Gauge({
    name: 'dlq_oldest_parked_age_seconds',
    help: 'How long the parked message with the oldest last failure has been waiting (0 when none is parked)',
    registers,
    collect() {
      refresh();
      const oldest = stats.latest?.oldestParked;
      this.set(oldest ? Math.max(0, (Date.now() - oldest.lastFailedAt.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'dlq_consumer_paused_partitions',
    help: 'Dead-letter partitions paused because storing their next record failed (retried until it succeeds)',
    registers,
    collect() {
      this.set(pausedPartitionCount());
    },
  });
  const ingestFailures = new Counter({
    name: 'dlq_ingest_failures_total',
    help: 'Failed attempts to store a dead letter; the record is retried, never skipped',
    registers,
  });

  return {
    ingested: (source) => ingested.inc({ source }),
    duplicateSkipped: (source) => duplicates.inc({ source }),
    replayed: (source) => replayed.inc({ source }),
    replayFailed: (source) => replayFailures.inc({ source }),
    discarded: (source) => discarded.inc({ source }),
    republished: (count) => republished.inc(count),
    consumerObserver: { onPaused: () => ingestFailures.inc() },
  };
}
