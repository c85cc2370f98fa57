import type { Client } from 'cassandra-driver';
import { rangeKey, type ScannedStream, type TokenRange } from '@scylla-es/es-core/cql';
import { projectCustomerEvent } from '../customers/customer-projection';
import { foldOrder, statusDayKey, statusDaysOf } from '../orders/order-fold';
import type { CqlWrite } from '../projection/cql-write';
import { foldWhileProjectable, type FoldStop } from '../projection/fold';
import type { CopyTables } from '../projection/read-models';
import type { ProjectionName } from '../copies/projection-copies';
import { writeInBatches } from './bulk-writes';

/** What a rebuild took of one aggregate: its events folded, and the event it stopped before, if any. */
export interface SunkStream {
  readonly folded: number;
  readonly stoppedAt?: FoldStop;
}

/**
 * The one place a rebuild applies an aggregate's events to the copy it fills: the whole stream as scanned from
 * event_store is folded in memory into the writes that leave the aggregate exactly as the live path would have
 * after its last event, each with that event's sequence as timestamp (docs/projector.md, "Rebuild"). An event
 * the projection cannot apply (a poison event, parked on the live path) ends the fold: the copy keeps the
 * aggregate as it was before it, as the live path does, and the rebuild goes on with the next aggregate.
 *
 * The writes of a range wait for its `flush`, which the scan awaits before it persists the range's progress:
 * a page's aggregates go out together in a few unlogged batches (writeInBatches) rather than a request each.
 */
export interface RebuildSink {
  /** Folds the stream and holds its writes with the others of its range. */
  take(stream: ScannedStream, range: TokenRange): SunkStream;
  /** Writes everything held for the range; resolves once all of it landed. */
  flush(range: TokenRange): Promise<void>;
}

/**
 * One sink per scan. It remembers the status days it wrote, so each is written once per scan rather than by
 * every order of that day: the copy was cleared before the scan, and nothing deletes a status day. A failed
 * flush fails the scan, whose resumption starts with a new sink.
 */
export function rebuildSink(projection: ProjectionName, tables: CopyTables, writer: { client: Client; concurrency: number }): RebuildSink {
  const held = new Map<string, CqlWrite[]>();
  const hold = (range: TokenRange, writes: readonly CqlWrite[]) => {
    const key = rangeKey(range);
    const writesOfRange = held.get(key);
    if (writesOfRange) writesOfRange.push(...writes);
    else held.set(key, [...writes]);
  };
  const flush = async (range: TokenRange) => {
    const writes = held.get(rangeKey(range)) ?? [];
    held.delete(rangeKey(range));
    await writeInBatches(writer.client, writes, writer.concurrency);
  };
  if (projection === 'customers') {
    return {
      take: ({ events }, range) => {
        const { steps, stoppedAt } = foldWhileProjectable(events, projectCustomerEvent);
        const last = steps.at(-1);
        if (last) hold(range, [tables.customers.viewWrite(last.after, last.event.sequence)]);
        return { folded: steps.length, ...(stoppedAt ? { stoppedAt } : {}) };
      },
      flush,
    };
  }
  const daysWritten = new Set<string>();
  return {
    take: ({ events }, range) => {
      const { folded, stoppedAt } = foldOrder(events);
      if (folded) {
        const statusDays = statusDaysOf(folded.visited).filter((day) => !daysWritten.has(statusDayKey(day)));
        hold(range, tables.orders.foldedWrites(folded, statusDays));
        for (const day of statusDays) daysWritten.add(statusDayKey(day));
      }
      return { folded: folded?.count ?? 0, ...(stoppedAt ? { stoppedAt } : {}) };
    },
    flush,
  };
}
