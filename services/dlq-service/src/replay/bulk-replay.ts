import { EventSourcingError } from '@scylla-es/es-core';
import { engineOutageOf } from '@scylla-es/es-core/cql';
import type { MessageFilter } from '../store/index-facets';
import type { MessageListing } from '../store/message-listing';
import { MessageBusyError } from '../store/message-locks';
import type { Replayer } from './replayer';

export interface BulkReplayRequest {
  /** Which parked messages; the status is always `parked`. */
  readonly filter: Omit<MessageFilter, 'status'>;
  readonly max: number;
  readonly dryRun: boolean;
  readonly by: string;
}

/** Exactly what a bulk replay did, or would do: every selected message is in one list. */
export interface BulkReplayReport {
  readonly dryRun: boolean;
  readonly max: number;
  /** Parked messages matching the filter, newest first, at most `max`. */
  readonly selected: number;
  /** More parked messages match beyond `max`. */
  readonly more: boolean;
  /** Dry run: the ids that would be replayed. Otherwise the ids replayed now. */
  readonly replayed: readonly string[];
  /** Not replayed because another change got there first: `busy` (being changed now) or no longer parked. */
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
  readonly failed: readonly { readonly id: string; readonly error: string; readonly type: string }[];
  /** Left untouched because an engine went down during the run; a retry picks them up. */
  readonly notAttempted: readonly string[];
}

const SELECT_PAGE = 100;
const SELECT_SCAN_BUDGET = 100_000;

/**
 * Replays the parked messages a filter selects, newest first, at most `max`, one at a time through the shared
 * rate limiter. Safe to retry and to run twice at once: each message is replayed under its own lock and only
 * while parked, so an overlapping or repeated call skips what the other replayed. An engine outage stops the
 * run; the rest is reported as not attempted.
 */
export class BulkReplay {
  constructor(
    private readonly listing: MessageListing,
    private readonly replayer: Replayer,
  ) {}

  async run({ filter, max, dryRun, by }: BulkReplayRequest): Promise<BulkReplayReport> {
    const { ids, more } = await this.select(filter, max);
    const report = { dryRun, max, selected: ids.length, more };
    if (dryRun) return { ...report, replayed: ids, skipped: [], failed: [], notAttempted: [] };
    const replayed: string[] = [];
    const skipped: { id: string; reason: string }[] = [];
    const failed: { id: string; error: string; type: string }[] = [];
    for (const [index, id] of ids.entries()) {
      try {
        await this.replayer.replay(id, { by, force: false });
        replayed.push(id);
      } catch (error) {
        if (engineOutageOf(error)) return { ...report, replayed, skipped, failed, notAttempted: ids.slice(index) };
        if (error instanceof MessageBusyError) skipped.push({ id, reason: 'busy' });
        else if (error instanceof EventSourcingError && error.status === 409) skipped.push({ id, reason: error.type });
        else if (error instanceof EventSourcingError) failed.push({ id, error: error.message, type: error.type });
        else throw error;
      }
    }
    return { ...report, replayed, skipped, failed, notAttempted: [] };
  }

  private async select(filter: BulkReplayRequest['filter'], max: number): Promise<{ ids: string[]; more: boolean }> {
    const ids: string[] = [];
    let after;
    for (;;) {
      const page = await this.listing.list({ filter: { ...filter, status: 'parked' }, after, limit: Math.min(SELECT_PAGE, max + 1 - ids.length), scanBudget: SELECT_SCAN_BUDGET });
      ids.push(...page.messages.map((message) => message.id));
      if (ids.length > max) return { ids: ids.slice(0, max), more: true };
      if (!page.next) return { ids, more: false };
      after = page.next;
    }
  }
}
