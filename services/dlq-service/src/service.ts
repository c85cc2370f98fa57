import { CqlEventRows, engineOutageOf, scanEventRows } from '@scylla-es/es-core/cql';
import { CommittingConsumer, createKafka, createKafkaEventPublisher, ensureTopics, keepConsumerJoined } from '@scylla-es/es-core/kafka';
import {
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceWiring,
  type StartServiceOptions,
} from '@scylla-es/es-core/service';
import { migrateSchema } from '@scylla-es/schema';
import { loadDlqConfig, type DlqConfig } from './config';
import { createDlqMetrics } from './dlq-metrics';
import { mountDlqRoutes } from './http/routes';
import { deadLetterIngest } from './ingest/dead-letter-ingest';
import { BulkReplay } from './replay/bulk-replay';
import { RateLimiter } from './replay/rate-limiter';
import { Replayer } from './replay/replayer';
import { RangeRepublisher } from './replay/range-republisher';
import { Republisher } from './replay/republisher';
import { MessageListing } from './store/message-listing';
import { MessageLocks } from './store/message-locks';
import { MessageStats, StatsCache } from './store/message-stats';
import { MessageStore } from './store/message-store';

export const SERVICE_NAME = 'dlq-service';

interface DlqStatus {
  /** Whether the consumer group has assigned this instance its partitions (tests wait for it). */
  joined(): boolean;
}

export type RunningDlqService = RunningService<DlqConfig, DlqStatus>;

/**
 * The dlq-service's own parts on the shared start-up: the consumer group that stores the dead-letter topic, the
 * producer that replays and republishes, and the REST API over the stored messages.
 */
async function wireDlqService({ config, client, logger, metrics, health, stopWith }: ServiceContext<DlqConfig>): Promise<ServiceWiring<DlqStatus>> {
  const keyspace = config.SCYLLA_KEYSPACE;
  const store = new MessageStore(client, keyspace);
  const locks = new MessageLocks(client, keyspace, config.DLQ_LOCK_TTL_SECONDS);
  const listing = new MessageListing(client, keyspace);
  const stats = new StatsCache(new MessageStats(client, keyspace), config.DLQ_STATS_MAX_AGE_MS);
  const eventRows = new CqlEventRows(client, keyspace);

  const kafka = createKafka(config, logger);
  await ensureTopics(kafka, [{ topic: config.DEAD_LETTER_TOPIC }], {
    defaultPartitions: config.KAFKA_TOPIC_PARTITIONS,
    defaultReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
    logger,
  });
  const publisher = createKafkaEventPublisher(kafka, config, logger);
  stopWith('disconnect the replay producer', () => publisher.disconnect());
  await publisher.connect();

  // The metrics observe the consumer, and the paused-partitions gauge reads it back at each scrape.
  const scraped: { consumer?: CommittingConsumer } = {};
  const dlqMetrics = createDlqMetrics(metrics, stats, () => scraped.consumer?.pausedPartitions ?? 0);
  const consumer = new CommittingConsumer({
    kafka,
    groupId: config.DLQ_GROUP_ID,
    topics: [config.DEAD_LETTER_TOPIC],
    // Every dead letter ever sent must be stored: a new group starts at the beginning of the topic.
    fromBeginning: true,
    handle: deadLetterIngest({ store, locks, metrics: dlqMetrics, logger: logger.child({ component: 'ingest' }) }),
    isOutage: (error) => engineOutageOf(error) !== undefined,
    partitionsConsumedConcurrently: config.DLQ_CONCURRENT_PARTITIONS,
    sessionTimeoutMs: config.DLQ_SESSION_TIMEOUT_MS,
    logger: logger.child({ component: 'consumer' }),
    observer: dlqMetrics.consumerObserver,
  });
  scraped.consumer = consumer;
  const startConsuming = keepConsumerJoined(consumer, {
    logger,
    stopWith,
    registerHealth: (check, run) => health.register(check, run),
    described: { topic: config.DEAD_LETTER_TOPIC, groupId: config.DLQ_GROUP_ID },
  });

  const limiter = new RateLimiter(config.DLQ_REPLAY_RATE_PER_SECOND);
  const replayer = new Replayer({
    store,
    locks,
    eventRow: (aggregateId, sequence) => eventRows.one(aggregateId, sequence),
    publisher,
    limiter,
    metrics: dlqMetrics,
    logger,
  });
  const parts = {
    store,
    locks,
    listing,
    stats,
    replayer,
    bulkReplay: new BulkReplay(listing, replayer),
    republisher: new Republisher(eventRows, publisher, dlqMetrics, logger),
    rangeRepublisher: new RangeRepublisher(
      (options) => scanEventRows(client, keyspace, options),
      publisher,
      dlqMetrics,
      logger,
      config.DLQ_REPUBLISH_TIME_BUDGET_MS,
    ),
    metrics: dlqMetrics,
    listScanBudget: config.DLQ_LIST_SCAN_BUDGET,
    bulkReplayMax: config.DLQ_BULK_REPLAY_MAX,
    republishMax: config.DLQ_REPUBLISH_MAX,
  };
  return {
    routes: (app, { auth }) => mountDlqRoutes(app, auth, parts),
    start: startConsuming,
    exposed: { joined: () => consumer.joined },
  };
}

/** Connects to ScyllaDB and Kafka, brings the schema up to date, stores the dead-letter topic and serves the API. */
export function startDlqService(env: NodeJS.ProcessEnv = process.env, options: StartServiceOptions = {}): Promise<RunningDlqService> {
  return startService({ name: SERVICE_NAME, loadConfig: loadDlqConfig, migrate: migrateSchema, wire: wireDlqService }, env, options);
}
