import { groupedBy } from '../core/collections/grouping';

/** What handling a batch by key needs of a record: where it is on its partition and what it is ordered by. */
export interface KeyedRecord {
  readonly offset: string;
  /** Records with the same key are handled one after the other, in offset order; keyless ones share one lane. */
  readonly key: string | undefined;
}

export interface KeyedBatchOptions<R extends KeyedRecord> {
  /** Keys handled at the same time. */
  readonly concurrency: number;
  readonly handle: (record: R) => Promise<void>;
  /**
   * Offered the records of a key not handled yet, in order (two or more): handles as many from the first on as it
   * can at once (folding them into one write, say) and resolves with how many, 0 for none. The others are handled
   * one by one with `handle`, and offered again after each. A run that throws counts for nothing: its records are
   * handled one by one, so a run is only ever a faster way to the outcome `handle` would reach.
   */
  readonly handleRun?: (records: readonly R[]) => Promise<number>;
  /** Asked before each record: false stops the batch (the consumer is stopping or the batch went stale). */
  readonly shouldContinue: () => boolean;
  /** Each time the run of handled records from the batch's start grows: its last record. */
  readonly onHandledThrough?: (record: R) => void | Promise<void>;
}

export interface KeyedBatchResult<R extends KeyedRecord> {
  /** The last record of the handled run from the batch's start: it and every record before it are handled. */
  readonly handledThrough: R | undefined;
  /** The earliest record whose handler failed. */
  readonly failed?: { readonly record: R; readonly error: unknown };
}

/**
 * Handles a partition's batch with the order that matters and no more: the records of one key strictly one
 * after the other, different keys concurrently. Only a run of handled records from the batch's start may be
 * committed, so a record handled past a slower or failed one is handled again after a restart or retry: a
 * duplicate, which at-least-once handlers absorb. After the first failure no new key is started and each key
 * stops after its current record; the failed key's later records are never handled before it.
 */
export async function handleByKey<R extends KeyedRecord>(records: readonly R[], options: KeyedBatchOptions<R>): Promise<KeyedBatchResult<R>> {
  const lanes = groupedBy(records, (record) => record.key ?? '');
  const handled = new Set<R>();
  let prefix = 0;
  let failed: { record: R; error: unknown } | undefined;
  const running = () => failed === undefined && options.shouldContinue();

  const advance = async (): Promise<void> => {
    const before = prefix;
    while (prefix < records.length && handled.has(records[prefix] as R)) prefix++;
    if (prefix > before) await options.onHandledThrough?.(records[prefix - 1] as R);
  };

  /** How many of the lane's records from `from` on a run handled: 0 when there is no run to try, or it failed. */
  const runOf = async (lane: readonly R[], from: number): Promise<number> => {
    if (!options.handleRun || lane.length - from < 2) return 0;
    try {
      return Math.min(await options.handleRun(lane.slice(from)), lane.length - from);
    } catch {
      return 0;
    }
  };

  const queue = [...lanes.values()];
  const worker = async (): Promise<void> => {
    for (let lane = queue.shift(); lane && running(); lane = queue.shift()) {
      let next = 0;
      while (next < lane.length && running()) {
        const taken = await runOf(lane, next);
        if (taken > 0) {
          for (const record of lane.slice(next, next + taken)) handled.add(record);
          next += taken;
          await advance();
          continue;
        }
        const record = lane[next] as R;
        try {
          await options.handle(record);
        } catch (error) {
          if (!failed || BigInt(record.offset) < BigInt(failed.record.offset)) failed = { record, error };
          break;
        }
        handled.add(record);
        next += 1;
        await advance();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, lanes.size)) }, worker));
  return { handledThrough: prefix > 0 ? records[prefix - 1] : undefined, ...(failed ? { failed } : {}) };
}
