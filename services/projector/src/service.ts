import { CqlEventStore, engineOutageOf } from '@scylla-es/es-core/cql';
import { CommittingConsumer, createKafka, createKafkaEventPublisher, DeadLetterSender, ensureTopics, keepConsumerJoined } from '@scylla-es/es-core/kafka';
import {
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceWiring,
  type StartServiceOptions,
} from '@scylla-es/es-core/service';
import { migrateSchema } from '@scylla-es/schema';
import { loadProjectorConfig, type ProjectorConfig } from './config';
import { eventHandler } from './consuming/event-handler';
import { CopiesState } from './copies/copies-state';
import { CopiesTable } from './copies/copies-table';
import { PROJECTIONS, type ProjectionName } from './copies/projection-copies';
import { mountAdminRoutes } from './http/admin-routes';
import { mountQueryRoutes } from './http/routes';
import { projectedUpcasting } from './projection/aggregates';
import { InOrderApplier } from './projection/in-order-applier';
import { CopyingApplier } from './projection/copying-applier';
import { createProjectorMetrics } from './projection/projector-metrics';
import { readModels } from './projection/read-models';
import type { StreamProjection } from './projection/stream-projection';
import { ParkedEvents } from './parking/parked-events';
import { ParkedListing } from './parking/parked-listing';
import { mountParkedRoutes } from './parking/parked-routes';
import { ParkedSet } from './parking/parked-set';
import { ParkingHandler } from './parking/parking-handler';
import { createParkingMetrics } from './parking/parking-metrics';
import { createRebuildMetrics } from './rebuild/rebuild-metrics';
import { Rebuilds } from './rebuild/rebuilds';

export const SERVICE_NAME = 'projector';

interface ProjectorStatus {
  /** Whether the consumer group has assigned this instance its partitions (tests wait for it). */
  joined(): boolean;
  pausedPartitions(): number;
  /** Aggregates parked on the partitions this instance owns. */
  parkedAggregates(): number;
}

export type RunningProjector = RunningService<ProjectorConfig, ProjectorStatus>;

export interface StartProjectorOptions extends StartServiceOptions {
  /**
   * Replaces or wraps the read models' projections (the defaults are handed in). Lets a test run the projector
   * in-process with a projection that fails on purpose, then stops failing: a poison event and its fix.
   */
  readonly projections?: (defaults: readonly StreamProjection[]) => readonly StreamProjection[];
}

/**
 * The projector's own parts on the shared start-up: the read models and their query routes, and the consumer
 * group that applies the event topics to them. Throws when Kafka is unreachable at start-up.
 */
async function wireProjector(
  { name, config, client, logger, metrics, health, stopWith }: ServiceContext<ProjectorConfig>,
  options: StartProjectorOptions,
): Promise<ServiceWiring<ProjectorStatus>> {
  const keyspace = config.SCYLLA_KEYSPACE;
  const upcastingFor = projectedUpcasting();
  const knownUpcasting = (aggregateType: string) => {
    const upcasting = upcastingFor(aggregateType);
    if (!upcasting) throw new Error(`no upcasters for aggregate type ${aggregateType}`);
    return upcasting;
  };
  const events = new CqlEventStore(client, keyspace, knownUpcasting);
  const copiesTable = new CopiesTable(client, keyspace);
  for (const projection of PROJECTIONS) await copiesTable.ensure(projection);
  const copies = new CopiesState(copiesTable, config.PROJECTOR_COPIES_MAX_AGE_MS, logger.child({ component: 'copies' }));
  const models = readModels(client, keyspace, copies, config.PROJECTOR_VIEW_CACHE_SIZE);
  const projected = (projections: readonly StreamProjection[]) => options.projections?.(projections) ?? projections;
  const applier = new CopyingApplier(
    { a: new InOrderApplier(projected(models.projections.a), events), b: new InOrderApplier(projected(models.projections.b), events) },
    copies,
  );
  const rebuilds = new Rebuilds({
    client,
    keyspace,
    table: copiesTable,
    state: copies,
    models,
    upcastingFor: knownUpcasting,
    metrics: createRebuildMetrics(metrics, copies),
    settings: {
      rangeCount: config.PROJECTOR_REBUILD_RANGES,
      concurrency: config.PROJECTOR_REBUILD_CONCURRENCY,
      writesPerRange: config.PROJECTOR_REBUILD_WRITES_PER_RANGE,
      pageSize: config.PROJECTOR_REBUILD_PAGE_SIZE,
      leaseMs: config.PROJECTOR_REBUILD_LEASE_MS,
    },
    logger: logger.child({ component: 'rebuild' }),
  });
  stopWith('stop rebuilding', () => {
    copies.stop();
    return rebuilds.stop();
  });

  const kafka = createKafka(config, logger);
  const { partitions } = await ensureTopics(kafka, [...config.PROJECTOR_TOPICS, config.DEAD_LETTER_TOPIC].map((topic) => ({ topic })), {
    defaultPartitions: config.KAFKA_TOPIC_PARTITIONS,
    defaultReplicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
    logger,
  });
  const deadLetterPublisher = createKafkaEventPublisher(kafka, config, logger);
  stopWith('disconnect the dead-letter producer', () => deadLetterPublisher.disconnect());

  // The metrics observe the consumer, and the paused-partitions gauge reads it back at each scrape.
  const scraped: { consumer?: CommittingConsumer } = {};
  const projectorMetrics = createProjectorMetrics(metrics, () => scraped.consumer?.pausedPartitions ?? 0);
  const isOutage = (error: unknown) => engineOutageOf(error) !== undefined;
  const parkedEvents = new ParkedEvents(client, keyspace, config.PROJECTOR_GROUP_ID);
  const parked = new ParkedSet((topic, partition) => parkedEvents.headsOf(topic, partition));
  const parking = new ParkingHandler({
    events: eventHandler(applier, upcastingFor, projectorMetrics),
    isOutage,
    store: parkedEvents,
    parked,
    deadLetters: new DeadLetterSender({ publisher: deadLetterPublisher, sourceService: name, topic: config.DEAD_LETTER_TOPIC }),
    maxAttempts: config.PROJECTOR_MAX_ATTEMPTS,
    maxParkedPerPartition: config.PROJECTOR_MAX_PARKED_PER_PARTITION,
    metrics: createParkingMetrics(metrics, () => parked.size),
    logger: logger.child({ component: 'parking' }),
  });
  const running = new CommittingConsumer({
    kafka,
    groupId: config.PROJECTOR_GROUP_ID,
    topics: config.PROJECTOR_TOPICS,
    fromBeginning: config.PROJECTOR_START_FROM === 'earliest',
    handle: (message) => parking.handle(message),
    handleRun: (messages) => parking.handleRun(messages),
    isOutage,
    giveUp: parking.policy,
    onGroupJoin: (assigned) => parked.assign(assigned),
    partitionsConsumedConcurrently: config.PROJECTOR_CONCURRENT_PARTITIONS,
    keysConcurrently: config.PROJECTOR_CONCURRENT_AGGREGATES,
    sessionTimeoutMs: config.PROJECTOR_SESSION_TIMEOUT_MS,
    logger: logger.child({ component: 'consumer' }),
    observer: projectorMetrics.consumerObserver,
  });
  scraped.consumer = running;
  const startConsuming = keepConsumerJoined(running, {
    logger,
    stopWith,
    registerHealth: (check, run) => health.register(check, run),
    details: () => ({ parkedAggregates: parked.size }),
    described: { topics: config.PROJECTOR_TOPICS, groupId: config.PROJECTOR_GROUP_ID },
  });
  const topicPartitions = config.PROJECTOR_TOPICS.flatMap((topic) =>
    Array.from({ length: partitions.get(topic) ?? 0 }, (_, partition) => ({ topic, partition })),
  );
  const listing = new ParkedListing(parkedEvents, topicPartitions);

  const activeTables = async (projection: ProjectionName) => models.tables[(await copies.current(projection)).active];
  const active = {
    orders: async () => (await activeTables('orders')).orders,
    customers: async () => (await activeTables('customers')).customers,
    listings: async () => (await activeTables('orders')).listings,
  };
  const parts = { active, minVersionWaitMs: config.PROJECTOR_MIN_VERSION_WAIT_MS };
  return {
    routes: (app, { auth }) => {
      mountQueryRoutes(app, auth, parts);
      mountParkedRoutes(app, auth, listing);
      mountAdminRoutes(app, auth, rebuilds);
    },
    // Joining the group is retried until it works or the service stops: a broker that is down for a moment must
    // not leave an instance serving queries but never consuming. Readiness stays down until it has joined.
    start: () => {
      copies.start();
      rebuilds.start();
      startConsuming();
    },
    exposed: { joined: () => running.joined, pausedPartitions: () => running.pausedPartitions, parkedAggregates: () => parked.size },
  };
}

/** Connects to ScyllaDB and Kafka, brings the schema up to date, serves the query API and applies the event topics. */
export function startProjector(env: NodeJS.ProcessEnv = process.env, options: StartProjectorOptions = {}): Promise<RunningProjector> {
  return startService({ name: SERVICE_NAME, loadConfig: loadProjectorConfig, migrate: migrateSchema, wire: wireProjector }, env, options);
}
