import type { CdcReaderObserver } from '@scylla-es/es-core/cdc';
import type { PublishObserver } from '@scylla-es/es-core/kafka';
import type { Metrics } from '@scylla-es/es-core/service';
import { Counter, Gauge, Histogram } from 'prom-client';

export interface RelayMetrics {
  readonly rowsRead: Counter;
  readonly repeatsSkipped: Counter;
  readonly readerObserver: CdcReaderObserver;
  readonly publishObserver: PublishObserver;
}

/** The relay's own series on the service registry (names used by infra/prometheus/alerts.yml and dashboards). */
export function createRelayMetrics(metrics: Metrics): RelayMetrics {
  const registers = [metrics.registry];
  const rowsRead = new Counter({ name: 'cdc_relay_rows_read_total', help: 'CDC log rows read', registers });
  const repeatsSkipped = new Counter({
    name: 'cdc_relay_repeats_skipped_total',
    help: 'Event rows logged again by a re-committed transaction, not published twice',
    registers,
  });
  const published = new Counter({ name: 'cdc_relay_messages_published_total', help: 'Events acknowledged by Kafka', registers });
  const retries = new Counter({ name: 'cdc_relay_publish_retries_total', help: 'Publish attempts retried after a transient failure', registers });
  const failures = new Counter({ name: 'cdc_relay_publish_failures_total', help: 'Failed publish attempts, transient or permanent', registers });
  const deadLettered = new Counter({ name: 'cdc_relay_dead_lettered_total', help: 'Events sent to the dead-letter topic', registers });
  const circuit = new Gauge({ name: 'cdc_relay_circuit_state', help: 'Kafka circuit breaker: 0 closed, 1 half-open, 2 open', registers });
  const lag = new Gauge({ name: 'cdc_relay_lag_seconds', help: 'How far behind now a stream group checkpoint is', labelNames: ['group'], registers });
  const readErrors = new Counter({ name: 'cdc_relay_read_errors_total', help: 'Failed CDC read passes (retried)', registers });
  const window = new Histogram({
    name: 'cdc_relay_window_duration_seconds',
    help: 'Time to read, publish and checkpoint one window of the stream groups read together',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  circuit.set(0);
  return {
    rowsRead,
    repeatsSkipped,
    readerObserver: {
      onWindowRead: (_window, _rows, seconds) => window.observe(seconds),
      onLag: (groupId, lagSeconds) => lag.set({ group: String(groupId) }, lagSeconds),
      onError: () => readErrors.inc(),
    },
    publishObserver: {
      onPublished: (count) => published.inc(count),
      onRetry: () => {
        retries.inc();
        failures.inc();
      },
      onDeadLettered: () => {
        deadLettered.inc();
        failures.inc();
      },
      onCircuitStateChange: (state) => circuit.set(state),
    },
  };
}
