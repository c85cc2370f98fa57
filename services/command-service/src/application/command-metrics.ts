import type { CommandHandlerObserver, Logger } from '@scylla-es/es-core';
import type { Metrics } from '@scylla-es/es-core/service';
import { Counter, Histogram } from 'prom-client';

/** The command-service's own series, on the service's es-core registry beside the HTTP RED metrics. */
export interface CommandMetrics {
  readonly appendDurationSeconds: Histogram<'aggregate_type'>;
  readonly conflictsTotal: Counter<'aggregate_type'>;
  readonly retriesTotal: Counter<'aggregate_type'>;
  readonly idempotentReplaysTotal: Counter;
}

/** An LWT round trip is a few milliseconds when healthy; the upper buckets catch Paxos contention. */
const APPEND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createCommandMetrics({ registry }: Metrics): CommandMetrics {
  return {
    appendDurationSeconds: new Histogram({
      name: 'command_append_duration_seconds',
      help: 'Duration of the conditional batch that appends a command’s events, by aggregate type',
      labelNames: ['aggregate_type'],
      buckets: APPEND_BUCKETS,
      registers: [registry],
    }),
    conflictsTotal: new Counter({
      name: 'command_conflicts_total',
      help: 'Appends that lost the race to another writer (optimistic concurrency conflicts), by aggregate type',
      labelNames: ['aggregate_type'],
      registers: [registry],
    }),
    retriesTotal: new Counter({
      name: 'command_retries_total',
      help: 'Commands decided again on a newer state after a lost race, by aggregate type',
      labelNames: ['aggregate_type'],
      registers: [registry],
    }),
    idempotentReplaysTotal: new Counter({
      name: 'command_idempotent_replays_total',
      help: 'Requests answered from a stored Idempotency-Key outcome, appending nothing',
      registers: [registry],
    }),
  };
}

/** The command handler's hooks: a conflict counts as a retry only when the command is decided again. */
export function commandObserver(metrics: CommandMetrics, logger: Logger): CommandHandlerObserver {
  return {
    onAppended: (aggregateType, _eventCount, seconds) => {
      metrics.appendDurationSeconds.observe({ aggregate_type: aggregateType }, seconds);
    },
    onConflict: (aggregateType, _attempt, willRetry) => {
      metrics.conflictsTotal.inc({ aggregate_type: aggregateType });
      if (willRetry) metrics.retriesTotal.inc({ aggregate_type: aggregateType });
    },
    onSnapshotFailed: (aggregateType, aggregateId, error) => {
      logger.warn('snapshot failed; the command was committed', {
        aggregateType,
        aggregateId,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
    },
  };
}
