import type { RecordedEvent } from '@scylla-es/es-core';
import type { Metrics } from '@scylla-es/es-core/service';
import type { ConsumerObserver } from '@scylla-es/es-core/kafka';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { ApplyOutcome, RunOutcome } from './in-order-applier';

/** The projector's own series (docs/operations.md). */
export interface ProjectorMetrics {
  /** Called once per event taken from a topic on its own. */
  recordApplied(outcome: ApplyOutcome, occurredAt: Date, durationSeconds: number): void;
  /** Called once per run of one aggregate's events taken at once, with the events of it that were applied. */
  recordRunApplied(outcome: RunOutcome, applied: readonly RecordedEvent[], durationSeconds: number): void;
  readonly consumerObserver: ConsumerObserver;
}

/** `pausedPartitions` is read at each scrape from the consumer, which knows which partitions it holds. */
export function createProjectorMetrics({ registry }: Metrics, pausedPartitionCount: () => number): ProjectorMetrics {
  const registers = [registry];
  const applied = new Counter({
    name: 'projector_events_applied_total',
    help: 'Events applied to the read models (gap fills included), by aggregate type',
    labelNames: ['aggregate_type'],
    registers,
  });
  const skipped = new Counter({
    name: 'projector_events_skipped_total',
    help: 'Events the read models already reflected (duplicates, replayed offsets), by aggregate type',
    labelNames: ['aggregate_type'],
    registers,
  });
  const gapFilled = new Counter({
    name: 'projector_events_gap_filled_total',
    help: 'Events missing from the topic that were read from event_store and applied, by aggregate type',
    labelNames: ['aggregate_type'],
    registers,
  });
  const ignored = new Counter({
    name: 'projector_events_ignored_total',
    help: 'Events of aggregate types no read model projects',
    labelNames: ['aggregate_type'],
    registers,
  });
  const lagSeconds = new Gauge({
    name: 'projector_lag_seconds',
    help: 'Seconds from the last applied event occurring to it being applied, by aggregate type',
    labelNames: ['aggregate_type'],
    registers,
  });
  const applySeconds = new Histogram({
    name: 'projector_apply_duration_seconds',
    help: 'Time to take one event, or a run of one aggregate\'s consecutive events written at once, from a topic into the read models (gap fill included)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const eventAgeSeconds = new Histogram({
    name: 'projector_event_age_seconds',
    help: 'Seconds from an event occurring (its command handled) to it being in the read models: command → read model latency',
    buckets: [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300],
    registers,
  });
  const consumerLag = new Gauge({
    name: 'projector_consumer_lag',
    help: 'Records on a partition not yet applied, as of the last applied one (high watermark − next offset)',
    labelNames: ['topic', 'partition'],
    registers,
  });
  new Gauge({
    name: 'projector_paused_partitions',
    help: 'Partitions paused because applying their next event failed (an outage or a bug), retried with backoff',
    registers,
    collect() {
      this.set(pausedPartitionCount());
    },
  });
  const failures = new Counter({
    name: 'projector_apply_failures_total',
    help: 'Failed attempts to apply an event; the event is retried, never skipped',
    registers,
  });

  const recordAppliedEvents = (aggregateType: string, occurredAt: readonly Date[], gapFills: number) => {
    const labels = { aggregate_type: aggregateType };
    applied.inc(labels, occurredAt.length + gapFills);
    if (gapFills > 0) gapFilled.inc(labels, gapFills);
    const now = Date.now();
    for (const time of occurredAt) eventAgeSeconds.observe(Math.max(0, (now - time.getTime()) / 1000));
    const last = occurredAt.at(-1);
    if (last) lagSeconds.set(labels, Math.max(0, (now - last.getTime()) / 1000));
  };

  return {
    recordApplied(outcome, occurredAt, durationSeconds) {
      const labels = { aggregate_type: outcome.aggregateType };
      applySeconds.observe(durationSeconds);
      if (outcome.result === 'duplicate') skipped.inc(labels);
      else if (outcome.result === 'unknown-aggregate-type') ignored.inc(labels);
      else recordAppliedEvents(outcome.aggregateType, [occurredAt], outcome.gapFilled);
    },
    recordRunApplied(outcome, events, durationSeconds) {
      applySeconds.observe(durationSeconds);
      recordAppliedEvents(outcome.aggregateType, events.map((event) => event.occurredAt), outcome.gapFilled);
    },
    consumerObserver: {
      onHandled: (message, lag) => consumerLag.set({ topic: message.topic, partition: String(message.partition) }, lag),
      onPaused: () => failures.inc(),
    },
  };
}
