import type { EventUpcasting } from '@scylla-es/es-core';
import { rangeKey, scanEventStore, splitRing, TokenRangeScanner, type ScannedStream, type TokenRange } from '@scylla-es/es-core/cql';
import type { Client } from 'cassandra-driver';
import type { CopiesTable, RebuildRangeProgress } from '../copies/copies-table';
import { copyTable, type Copy } from '../copies/copy';
import { aggregateTypeOf, type ProjectionName } from '../copies/projection-copies';
import type { CopyTables } from '../projection/read-models';
import type { RebuildMetrics } from './rebuild-metrics';
import type { RebuildSink, SunkStream } from './rebuild-sink';

export interface ScanSettings {
  /** Ranges scanned at the same time. */
  readonly concurrency: number;
  /** Writes (batches, or customers' order counts) of one range's page sent at the same time. */
  readonly writesPerRange: number;
  readonly pageSize: number;
}

export interface RebuildScanJob {
  readonly projection: ProjectionName;
  readonly rebuildId: string;
  readonly rangeCount: number;
  readonly sink: RebuildSink;
  readonly signal: AbortSignal;
  /** Called after each persisted progress: throws to stop the scan (the rebuild was cancelled or taken over). */
  readonly stillOurs: () => Promise<void>;
}

/**
 * The scan of event_store into the copy being filled, resumable: each range's progress is persisted with what
 * it put into the copy, and a scan of the same rebuild continues after it. Ranges finished before are not read again.
 */
export async function scanIntoCopy(
  deps: {
    client: Client;
    keyspace: string;
    table: CopiesTable;
    upcastingFor: (aggregateType: string) => EventUpcasting;
    metrics: RebuildMetrics;
    settings: ScanSettings;
    /** An aggregate whose fold stopped before an event the projection could not apply. */
    onStoppedStream?: (stream: ScannedStream, stoppedAt: NonNullable<SunkStream['stoppedAt']>) => void;
  },
  job: RebuildScanJob,
): Promise<void> {
  const { table, metrics } = deps;
  const labels = { projection: job.projection };
  const ranges = splitRing(job.rangeCount);
  const persisted = await table.rangesOf(job.rebuildId);
  const counts = new Map<string, { streams: number; events: number }>(persisted.map((progress) => [rangeKey(progress.range), { ...progress }]));
  // Counted since the range's last persisted progress; a crash loses them, and the resumed scan counts them again.
  const pending = new Map<string, { streams: number; events: number }>();
  let done = persisted.filter((progress) => progress.done).length;
  metrics.ranges.set({ ...labels, state: 'total' }, ranges.length);
  metrics.ranges.set({ ...labels, state: 'done' }, done);

  const countOf = (map: Map<string, { streams: number; events: number }>, range: TokenRange) => {
    const key = rangeKey(range);
    const existing = map.get(key) ?? { streams: 0, events: 0 };
    map.set(key, existing);
    return existing;
  };
  await scanEventStore(deps.client, deps.keyspace, deps.upcastingFor, {
    ranges,
    concurrency: deps.settings.concurrency,
    pageSize: deps.settings.pageSize,
    resumeFrom: persisted,
    signal: job.signal,
    filter: { aggregateTypes: [aggregateTypeOf(job.projection)] },
    onStream: async (stream, range) => {
      const sunk = job.sink.take(stream, range);
      if (sunk.stoppedAt) deps.onStoppedStream?.(stream, sunk.stoppedAt);
      const count = countOf(pending, range);
      count.streams += 1;
      count.events += sunk.folded;
      metrics.streams.inc(labels);
      metrics.events.inc(labels, sunk.folded);
    },
    onProgress: async (progress) => {
      await job.sink.flush(progress.range);
      const base = countOf(counts, progress.range);
      const since = countOf(pending, progress.range);
      const saved: RebuildRangeProgress = { ...progress, streams: base.streams + since.streams, events: base.events + since.events };
      await table.saveRange(job.rebuildId, saved);
      counts.set(rangeKey(progress.range), { streams: saved.streams, events: saved.events });
      pending.delete(rangeKey(progress.range));
      if (progress.done) {
        done += 1;
        metrics.rangesScanned.inc(labels);
        metrics.ranges.set({ ...labels, state: 'done' }, done);
      }
      await job.stillOurs();
    },
  });
}

/**
 * Writes every customer's number of orders into the customer copy being filled, counted in the active orders
 * copy: a rebuilt customer copy has no recounts of its own for orders created before it. Orders created since
 * the copy began to be filled were recounted into it live; a count is written with itself as timestamp, so
 * the highest wins. Idempotent: a resumed rebuild runs it again from the start.
 */
export async function countOrdersIntoCopy(
  deps: { client: Client; keyspace: string; settings: ScanSettings },
  job: { ordersCopy: Copy; customers: CopyTables['customers']; rangeCount: number; signal: AbortSignal },
): Promise<void> {
  await new TokenRangeScanner(deps.client).scan(
    { table: copyTable(deps.keyspace, 'orders_by_customer', job.ordersCopy), partitionKey: ['customer_id'], columns: ['order_id'] },
    {
      ranges: splitRing(job.rangeCount),
      concurrency: deps.settings.concurrency,
      pageSize: deps.settings.pageSize,
      partitionsConcurrently: deps.settings.writesPerRange,
      signal: job.signal,
      onPartition: async ({ rows }) => {
        const customerId = rows[0]?.get('customer_id') as string;
        await job.customers.setOrderCount(customerId, rows.length);
      },
    },
  );
}
