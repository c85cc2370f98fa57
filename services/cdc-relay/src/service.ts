import { createLogger, type Logger } from '@scylla-es/es-core';
import { createCqlClient, createCqlMetrics, cqlReadinessCheck } from '@scylla-es/es-core/cql';
import { CdcOperation, CdcReader, type CdcReaderStatus } from '@scylla-es/es-core/cdc';
import {
  DeadLetterSender,
  ResilientPublisher,
  createKafka,
  createThreadedEventPublisher,
  ensureTopics,
} from '@scylla-es/es-core/kafka';
import {
  HealthRegistry,
  createBearerAuth,
  createGracefulShutdown,
  createHttpApp,
  createMetrics,
  listen,
  type Metrics,
} from '@scylla-es/es-core/service';
import { migrateSchema } from '@scylla-es/schema';
import { loadCdcRelayConfig, type CdcRelayConfig } from './config';
import { EVENT_ROW_COLUMNS } from './event-message';
import { EventRelay } from './event-relay';
import { createRelayMetrics } from './relay-metrics';

export const SERVICE_NAME = 'cdc-relay';
const BASE_TABLE = 'event_store';

export interface StartOptions {
  /** Handle SIGTERM/SIGINT with a graceful shutdown that exits the process (main.ts); off for embedding. */
  readonly handleSignals?: boolean;
  readonly logger?: Logger;
  readonly collectDefaultMetrics?: boolean;
  /** Names this instance in leases and `/status` (default: a random id). */
  readonly instanceId?: string;
}

export interface RunningCdcRelay {
  readonly url: string;
  readonly config: CdcRelayConfig;
  readonly metrics: Metrics;
  status(): CdcReaderStatus;
  /** Graceful: stop reading after the current window is published and checkpointed, then close clients. */
  close(): Promise<void>;
}

/**
 * Connects to ScyllaDB and Kafka, brings the schema up to date, creates the topics, and starts relaying the
 * CDC log of `event_store` to Kafka. Throws when the configuration is invalid or an engine is unreachable at
 * start-up; after that, outages are ridden out (retry, circuit breaker, checkpoint frozen).
 */
export async function startCdcRelay(env: NodeJS.ProcessEnv = process.env, options: StartOptions = {}): Promise<RunningCdcRelay> {
  const config = loadCdcRelayConfig(env);
  const logger = options.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createMetrics(SERVICE_NAME, { collectDefaultMetrics: options.collectDefaultMetrics ?? true });
  const client = createCqlClient(config, { metrics: createCqlMetrics(metrics.registry) });
  const kafka = createKafka(config, logger);
  const topicDefaults = {
    defaultPartitions: config.KAFKA_TOPIC_PARTITIONS,
    defaultReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
  };
  // Kafka's record encoding, most of the relay's CPU, runs on its own thread beside the reading of the log;
  // the thread's own logger writes at this logger's level.
  const threadLogLevel = logger.silent ? 'silent' : logger.level;
  const eventPublisher = createThreadedEventPublisher(config, { service: SERVICE_NAME, logLevel: threadLogLevel }, logger);
  try {
    await client.connect();
    await migrateSchema(client, config, logger);
    await ensureTopics(
      kafka,
      [...config.RELAY_TOPICS, config.DEAD_LETTER_TOPIC].map((topic) => ({ topic })),
      { ...topicDefaults, logger },
    );
    await eventPublisher.connect();
  } catch (error) {
    await Promise.allSettled([client.shutdown(), eventPublisher.disconnect()]);
    throw error;
  }

  const relayMetrics = createRelayMetrics(metrics);
  const stopping = new AbortController();
  const deadLetters = new DeadLetterSender({ publisher: eventPublisher, sourceService: SERVICE_NAME, topic: config.DEAD_LETTER_TOPIC });
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
  const reader = new CdcReader({
    client,
    keyspace: config.SCYLLA_KEYSPACE,
    baseTable: BASE_TABLE,
    consumer: config.RELAY_CONSUMER_NAME,
    config,
    handler: relay.handle,
    baseColumns: EVENT_ROW_COLUMNS,
    operation: CdcOperation.rowInsert,
    logger,
    observer: relayMetrics.readerObserver,
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
  });

  const health = new HealthRegistry(logger)
    .register('database', cqlReadinessCheck(client))
    .register('cdc-reader', async () => readerProgressing(reader.status(), config));
  const auth = createBearerAuth({ realm: SERVICE_NAME, tokens: config.AUTH_TOKENS });
  const app = createHttpApp({ service: SERVICE_NAME, logger, metrics, health, auth }, (expressApp) => {
    // Operational status, open like /health and /metrics: it names no secret and no customer data.
    expressApp.get('/status', (_req, res) => {
      res.json({ ...reader.status(), circuitState: publisher.circuitState });
    });
  });
  const { server, port } = await listen(app, config.PORT);
  reader.start();
  logger.info('cdc-relay started', { port, instance: reader.instanceId, consumer: config.RELAY_CONSUMER_NAME });

  const shutdown = createGracefulShutdown({
    logger,
    health,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    ...(options.handleSignals ? {} : { exit: () => undefined }),
  })
    .addServer(server)
    .addStep('finish the current window and checkpoint', () => {
      // Ends an outage's endless retrying; a window cut short is not checkpointed and is read again.
      stopping.abort();
      return reader.stop();
    })
    .addStep('disconnect from Kafka', () => eventPublisher.disconnect())
    .addStep('close CQL client', () => client.shutdown());
  if (options.handleSignals) shutdown.install();

  return {
    url: `http://127.0.0.1:${port}`,
    config,
    metrics,
    status: () => reader.status(),
    close: async () => {
      await shutdown.shutdown('close');
    },
  };
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
