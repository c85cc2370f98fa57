import type { ScannedStream } from '@scylla-es/es-core/cql';
import { projectCustomerEvent } from '../customers/customer-projection';
import { foldOrder, statusDayKey, statusDaysOf } from '../orders/order-fold';
import { foldWhileProjectable, type FoldStop } from '../projection/fold';
import type { CopyTables } from '../projection/read-models';
import type { ProjectionName } from '../copies/projection-copies';

/** What a rebuild wrote of one aggregate: its events folded, and the event it stopped before, if any. */
export interface SunkStream {
  readonly folded: number;
  readonly stoppedAt?: FoldStop;
}

/**
 * The one place a rebuild applies an aggregate's events to the copy it fills: the whole stream as scanned from
 * event_store is folded in memory and written once, with the last event's sequence as the write timestamp, so it
 * lands exactly as the live path would have left the aggregate after that event (docs/projector.md, "Rebuild").
 * An event the projection cannot apply (a poison event, parked on the live path) ends the fold: the copy keeps
 * the aggregate as it was before it, as the live path does, and the rebuild goes on with the next aggregate.
 * One sink per scan: it remembers the status days it wrote, so each is written once per scan rather than by
 * every order of that day (the copy was cleared before the scan, and nothing deletes a status day).
 */
export type RebuildSink = (stream: ScannedStream) => Promise<SunkStream>;

export function rebuildSink(projection: ProjectionName, tables: CopyTables): RebuildSink {
  if (projection === 'customers') {
    return async ({ events }) => {
      const { steps, stoppedAt } = foldWhileProjectable(events, projectCustomerEvent);
      await tables.customers.saveAll(steps);
      return { folded: steps.length, ...(stoppedAt ? { stoppedAt } : {}) };
    };
  }
  const daysWritten = new Set<string>();
  return async ({ events }) => {
    const { folded, stoppedAt } = foldOrder(events);
    if (folded) {
      const statusDays = statusDaysOf(folded.visited).filter((day) => !daysWritten.has(statusDayKey(day)));
      await tables.orders.saveFolded(folded, { logged: false, statusDays });
      for (const day of statusDays) daysWritten.add(statusDayKey(day));
    }
    return { folded: folded?.count ?? 0, ...(stoppedAt ? { stoppedAt } : {}) };
  };
}
