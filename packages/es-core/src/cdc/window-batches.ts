import { chunksWithin, groupedBy } from '../core/collections/grouping';
import type { StreamGroup } from './cdc-ports';
import type { WindowPlan } from './window-plan';

/** A group's next window, planned. */
export interface GroupWindow {
  readonly group: StreamGroup;
  readonly plan: WindowPlan;
}

/** Groups read with one log query: the same window, their streams in one IN list. */
export interface WindowBatch {
  /** Exclusive, as in WindowPlan. */
  readonly from: number;
  readonly to: number;
  readonly windows: readonly GroupWindow[];
}

/**
 * Puts groups due with the same window together, in batches of at most `streamsPerQuery` streams (a group with
 * more streams than that forms a batch of its own, which the log reads in several queries). Groups read in the
 * same pass share their window end, and groups in step share their start too, so a busy or catching-up reader
 * issues one query per few groups instead of one per group, and hands larger pages downstream.
 */
export function batchWindows(windows: readonly GroupWindow[], streamsPerQuery: number): WindowBatch[] {
  const byWindow = groupedBy(windows, (window) => `${window.plan.from}:${window.plan.to}`);
  return [...byWindow.values()].flatMap((sameWindow) =>
    chunksWithin(sameWindow, { maxWeight: streamsPerQuery, weightOf: (window) => window.group.streams.length }).map(batchOf),
  );
}

const batchOf = (windows: readonly GroupWindow[]): WindowBatch => {
  const [first] = windows as [GroupWindow, ...GroupWindow[]];
  return { from: first.plan.from, to: first.plan.to, windows };
};
