import { EVENT_ROW_COLUMNS } from '@scylla-es/es-core';
import { CdcOperation, CdcReader, cqlCdcSources, type CdcReaderStatus } from '@scylla-es/es-core/cdc';
import {
  DeadLetterSender,
  ResilientPublisher,
  createKafka,
  createThreadedEventPublisher,
  ensureTopics,
} from '@scylla-es/es-core/kafka';
import {
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceWiring,
  type StartServiceOptions,
} from '@scylla-es/es-core/service';
import { migrateSchema } from '@scylla-es/schema';
import { loadCdcRelayConfig, type CdcRelayConfig } from './config';
import { EventRelay } from './event-relay';
import { createRelayMetrics } from './relay-metrics';

export const SERVICE_NAME = 'cdc-relay';
const BASE_TABLE = 'event_store';

export interface StartOptions extends StartServiceOptions {
  /** Names this instance in leases and `/status` (default: a random id). */
  readonly instanceId?: string;
}

interface RelayStatus {
  status(): CdcReaderStatus;
}

export type RunningCdcRelay = RunningService<CdcRelayConfig, RelayStatus>;

/**
 * The relay's own parts on the shared start-up: Kafka topics and publisher, the CDC reader of `event_store`
 * and its `/status`. Throws when Kafka is unreachable at start-up; after that, outages are ridden out
 * (retry, circuit breaker, checkpoint frozen).
 */
async function wireCdcRelay(
  { name, config, client, logger, metrics, health, stopWith }: ServiceContext<CdcRelayConfig>,
  options: StartOptions,
): Promise<ServiceWiring<RelayStatus>> {
  const kafka = createKafka(config, logger);
  const topicDefaults = {
    defaultPartitions: config.KAFKA_TOPIC_PARTITIONS,
    defaultReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
  };
  // Kafka's record encoding, most of the relay's CPU, runs on its own thread beside the reading of the log;
  // the thread's own logger writes at this logger's level.
  const threadLogLevel = logger.silent ? 'silent' : logger.level;
  const eventPublisher = createThreadedEventPublisher(config, { service: name, logLevel: threadLogLevel }, logger);
  stopWith('disconnect from Kafka', () => eventPublisher.disconnect());
  await ensureTopics(
    kafka,
    [...config.RELAY_TOPICS, config.DEAD_LETTER_TOPIC].map((topic) => ({ topic })),
    { ...topicDefaults, logger },
  );
  await eventPublisher.connect();

  const relayMetrics = createRelayMetrics(metrics);
  const stopping = new AbortController();
  const deadLetters = new DeadLetterSender({ publisher: eventPublisher, sourceService: name, topic: config.DEAD_LETTER_TOPIC });
  const publisher = new ResilientPublisher({
    publisher: eventPublisher,
    deadLetters,
    signal: stopping.signal,
    observer: relayMetrics.publishObserver,
    logger,
  });
  const relay = new EventRelay({
    kafka,
    publisher,
    deadLetters,
    knownTopics: [...config.RELAY_TOPICS, config.DEAD_LETTER_TOPIC],
    topicDefaults,
    dlqFallbackTopic: config.RELAY_TOPICS[0] ?? 'events',
    logger,
    recentEventCapacity: config.RELAY_RECENT_EVENTS,
    onRowsRead: (count) => relayMetrics.rowsRead.inc(count),
    onRepeatSkipped: () => relayMetrics.repeatsSkipped.inc(),
  });
  const sources = cqlCdcSources({
    client,
    keyspace: config.SCYLLA_KEYSPACE,
    baseTable: BASE_TABLE,
    consumer: config.RELAY_CONSUMER_NAME,
    config,
    baseColumns: EVENT_ROW_COLUMNS,
    operation: CdcOperation.rowInsert,
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
  });
  const reader = new CdcReader({
    sources,
    consumer: config.RELAY_CONSUMER_NAME,
    config,
    handler: relay.publishChanges,
    logger,
    observer: relayMetrics.readerObserver,
  });
  stopWith('finish the current window and checkpoint', () => {
    // Ends an outage's endless retrying; a window cut short is not checkpointed and is read again.
    stopping.abort();
    return reader.stop();
  });
  health.register('cdc-reader', async () => readerProgressing(reader.status(), config));

  return {
    routes: (app) => {
      // Operational status, open like /health and /metrics: it names no secret and no customer data.
      app.get('/status', (_req, res) => {
        res.json({ ...reader.status(), circuitState: publisher.circuitState });
      });
    },
    start: () => {
      reader.start();
      logger.info('cdc-relay started', { instance: reader.instanceId, consumer: config.RELAY_CONSUMER_NAME });
    },
    exposed: { status: () => reader.status() },
  };
}

/** Connects to ScyllaDB and Kafka, brings the schema up to date, creates the topics, and relays the CDC log. */
export function startCdcRelay(env: NodeJS.ProcessEnv = process.env, options: StartOptions = {}): Promise<RunningCdcRelay> {
  return startService({ name: SERVICE_NAME, loadConfig: loadCdcRelayConfig, migrate: migrateSchema, wire: wireCdcRelay }, env, options);
}

/** Ready while read passes keep completing; an outage keeps a pass running, which is reported as not ready. */
function readerProgressing(status: CdcReaderStatus, config: CdcRelayConfig): Record<string, unknown> {
  const stalledAfterMs = Math.max(30_000, 10 * config.CDC_POLL_INTERVAL_MS);
  const last = status.lastCycleAt ? Date.parse(status.lastCycleAt) : undefined;
  if (last === undefined || Date.now() - last > stalledAfterMs) {
    throw new Error(`no CDC read pass completed in the last ${stalledAfterMs} ms`);
  }
  return { generation: status.generation, lastCycleAt: status.lastCycleAt };
}
