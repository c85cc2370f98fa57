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
  const byWindow = new Map<string, GroupWindow[]>();
  for (const window of windows) {
    const key = `${window.plan.from}:${window.plan.to}`;
    byWindow.set(key, [...(byWindow.get(key) ?? []), window]);
  }
  const batches: WindowBatch[] = [];
  for (const sameWindow of byWindow.values()) {
    let batch: GroupWindow[] = [];
    let streams = 0;
    for (const window of sameWindow) {
      if (batch.length > 0 && streams + window.group.streams.length > streamsPerQuery) {
        batches.push(batchOf(batch));
        batch = [];
        streams = 0;
      }
      batch.push(window);
      streams += window.group.streams.length;
    }
    if (batch.length > 0) batches.push(batchOf(batch));
  }
  return batches;
}

const batchOf = (windows: readonly GroupWindow[]): WindowBatch => {
  const [first] = windows as [GroupWindow, ...GroupWindow[]];
  return { from: first.plan.from, to: first.plan.to, windows };
};
