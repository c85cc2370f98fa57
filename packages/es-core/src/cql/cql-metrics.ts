import { metrics as driverMetrics } from 'cassandra-driver';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The driver's request outcomes as Prometheus series, so every service shows its database traffic and errors
 * (`cql_requests_total`, `cql_request_duration_seconds`) — e.g. how cheap an idle CDC relay really is.
 */
export function createCqlMetrics(registry: Registry): driverMetrics.ClientMetrics {
  return new PrometheusCqlMetrics(registry);
}

/** The driver accepts only instances of its own metrics class (an `instanceof` check), hence the subclass. */
class PrometheusCqlMetrics extends driverMetrics.DefaultMetrics {
  private readonly requests: Counter<'outcome'>;
  private readonly duration: Histogram;

  constructor(registry: Registry) {
    super();
    this.requests = new Counter({
      name: 'cql_requests_total',
      help: 'CQL requests answered by the cluster, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'cql_request_duration_seconds',
      help: 'CQL request latency as the driver measured it',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  override onSuccessfulResponse([seconds = 0, nanoseconds = 0]: number[]): void {
    this.requests.inc({ outcome: 'success' });
    this.duration.observe(seconds + nanoseconds / 1e9);
  }

  override onAuthenticationError(): void {
    this.requests.inc({ outcome: 'authentication-error' });
  }

  override onClientTimeoutError(): void {
    this.requests.inc({ outcome: 'client-timeout' });
  }

  override onConnectionError(): void {
    this.requests.inc({ outcome: 'connection-error' });
  }

  override onReadTimeoutError(): void {
    this.requests.inc({ outcome: 'read-timeout' });
  }

  override onWriteTimeoutError(): void {
    this.requests.inc({ outcome: 'write-timeout' });
  }

  override onUnavailableError(): void {
    this.requests.inc({ outcome: 'unavailable' });
  }

  override onOtherError(): void {
    this.requests.inc({ outcome: 'other-error' });
  }
}
