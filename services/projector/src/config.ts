import { durationMs, loadConfig, positiveInt } from '@scylla-es/es-core';
import { cqlConfigShape } from '@scylla-es/es-core/cql';
import { kafkaConfigShape } from '@scylla-es/es-core/kafka';
import { httpConfigShape } from '@scylla-es/es-core/service';
import { z } from 'zod';

export const PROJECTOR_PORT = 3001;

/** Everything the projector reads from its environment, validated once at start-up. */
export const projectorConfigShape = {
  ...cqlConfigShape,
  ...kafkaConfigShape,
  ...httpConfigShape(PROJECTOR_PORT),
  /** The event topics, as the relay publishes them; each message names its aggregate type, which picks the model. */
  PROJECTOR_TOPICS: z
    .string()
    .default('orders.events,customers.events')
    .transform((value) => value.split(',').map((topic) => topic.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[\w.-]{1,200}$/)).min(1)),
  /** Consumer group shared by all projector instances: Kafka splits the partitions among them. */
  PROJECTOR_GROUP_ID: z.string().regex(/^[\w.-]{1,200}$/).default('projector'),
  /** Where a group without committed offsets starts: `earliest` builds the models from the topics' whole retention. */
  PROJECTOR_START_FROM: z.enum(['earliest', 'latest']).default('earliest'),
  /** Partitions applied at the same time. */
  PROJECTOR_CONCURRENT_PARTITIONS: positiveInt(3),
  /** Aggregates of one partition applied at the same time, each one's events strictly in order. */
  PROJECTOR_CONCURRENT_AGGREGATES: positiveInt(32),
  /** Views of recently applied aggregates remembered per read model, so their next event needs no read first. */
  PROJECTOR_VIEW_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(20_000),
  /** How long the group waits for a silent instance before handing its partitions to the others. */
  PROJECTOR_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  /** Attempts at an event failing for another reason than an outage before its aggregate is parked. */
  PROJECTOR_MAX_ATTEMPTS: positiveInt(5),
  /**
   * Parked aggregates one topic partition may have. Beyond it the failure is hardly one aggregate's: the
   * partition waits and retries as during an outage instead of parking (and dead-lettering) ever more.
   */
  PROJECTOR_MAX_PARKED_PER_PARTITION: positiveInt(1_000),
  /** Where dead letters go (docs/parking-and-replay.md), as the relay's. */
  DEAD_LETTER_TOPIC: z.string().regex(/^[\w.-]{1,200}$/).default('dead-letters'),
  /** How long `?minVersion=N` may wait for the model to reach N before answering how far behind it is. */
  PROJECTOR_MIN_VERSION_WAIT_MS: durationMs(3_000),
  /**
   * The oldest view of projection_copies (which copy is active, which are written) an instance acts on. A
   * rebuild waits twice this at each phase change, until every instance follows the new phase.
   */
  PROJECTOR_COPIES_MAX_AGE_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  /** How long a rebuild stays with an instance that stopped renewing its lease before another takes it over. */
  PROJECTOR_REBUILD_LEASE_MS: z.coerce.number().int().min(500).max(600_000).default(15_000),
  /** Token ranges of event_store a rebuild scans at the same time. */
  PROJECTOR_REBUILD_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  /** Token ranges a rebuild's scan is split into: the unit of its persisted progress. */
  PROJECTOR_REBUILD_RANGES: z.coerce.number().int().min(1).max(65_536).default(256),
  /**
   * Writes of one page of a range a rebuild sends at the same time (unlogged batches of many aggregates, or
   * customers' order counts): up to PROJECTOR_REBUILD_CONCURRENCY × this many at once.
   */
  PROJECTOR_REBUILD_WRITES_PER_RANGE: z.coerce.number().int().min(1).max(256).default(4),
  /** Rows per page of the rebuild's scan. */
  PROJECTOR_REBUILD_PAGE_SIZE: z.coerce.number().int().min(10).max(10_000).default(1_000),
};

export type ProjectorConfig = z.infer<z.ZodObject<typeof projectorConfigShape>>;

export const loadProjectorConfig = (env: NodeJS.ProcessEnv): ProjectorConfig => loadConfig(projectorConfigShape, env);
