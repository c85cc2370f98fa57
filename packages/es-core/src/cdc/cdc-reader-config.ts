import { z } from 'zod';
import { durationMs, positiveInt } from '../core/config/environment';

/**
 * CDC reading settings. The confidence window defaults to ScyllaDB's libraries' 30 s: a write with an older
 * client timestamp can still land in the log that long after; reading closer to "now" lowers latency but
 * risks skipping such a write. A single-node test stack can use 1–2 s.
 */
export const cdcReaderConfigShape = {
  CDC_METADATA_KEYSPACE: z.string().regex(/^\w+$/).default('system_distributed'),
  CDC_WINDOW_MS: durationMs(30_000),
  /** Catch-up windows grow up to this while the reader is far behind. */
  CDC_MAX_WINDOW_MS: durationMs(300_000),
  CDC_CONFIDENCE_WINDOW_MS: durationMs(30_000),
  CDC_POLL_INTERVAL_MS: durationMs(1_000),
  /** A group without changes for this long is idle: read every CDC_IDLE_POLL_INTERVAL_MS instead of every poll. */
  CDC_IDLE_AFTER_MS: durationMs(30_000),
  /** How often an idle group is read: the most its first change after a quiet spell waits beyond the poll. */
  CDC_IDLE_POLL_INTERVAL_MS: durationMs(5_000),
  /** Where a consumer without any checkpoint starts (now − look-back); nothing older than the log TTL exists. */
  CDC_LOOKBACK_MS: durationMs(60_000),
  CDC_LOG_TTL_SECONDS: positiveInt(86_400),
  CDC_PAGE_SIZE: positiveInt(1_000),
  /**
   * The longest IN list of one log query. Groups due with the same window are read together up to this many
   * streams (several vnodes per query); a group with more streams is read alone, in several queries. Set it to the
   * shards per node to read one vnode per query, as ScyllaDB's libraries do.
   */
  CDC_MAX_STREAMS_PER_QUERY: positiveInt(32),
  /** Log queries in flight at once per instance: how many rounds of reads a pass over many groups costs. */
  CDC_READ_PARALLELISM: positiveInt(64),
  /** Handler calls (deliveries downstream, e.g. to Kafka) at once per instance; pages waiting meanwhile go together. */
  CDC_PARALLELISM: positiveInt(4),
  CDC_LEASE_TTL_SECONDS: positiveInt(15),
  /** Groups are leased in this many buckets (group id modulo it); every instance of a consumer must agree. */
  CDC_LEASE_BUCKETS: positiveInt(32),
  CDC_GENERATION_REFRESH_MS: durationMs(2_000),
  /** Empty windows are checkpointed at most this often (a window with changes always at once). */
  CDC_CHECKPOINT_INTERVAL_MS: durationMs(10_000),
  CDC_CONSISTENCY: z.enum(['LOCAL_QUORUM', 'QUORUM', 'LOCAL_ONE', 'ONE', 'ALL']).default('LOCAL_QUORUM'),
};

export type CdcReaderConfig = z.infer<z.ZodObject<typeof cdcReaderConfigShape>>;
