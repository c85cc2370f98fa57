import type { ParkedHead } from './parked-head';

/**
 * What becomes of an event given its aggregate's parked head, if any:
 * - `apply`: the aggregate is not parked, or the event comes before its head (a duplicate the applier skips);
 * - `hold`: a later event of a parked aggregate, kept behind the head;
 * - `replay`: the head, republished by the dlq-service;
 * - `redelivered-head`: the head again without a replay, redelivered after a crash: its dead letter goes out again.
 */
export type ParkedRoute = { readonly route: 'apply' | 'hold' } | { readonly route: 'replay' | 'redelivered-head'; readonly head: ParkedHead };

export function parkedRouteOf(sequence: number, head: ParkedHead | undefined, isReplay: boolean): ParkedRoute {
  if (!head || sequence < head.sequence) return { route: 'apply' };
  if (sequence > head.sequence) return { route: 'hold' };
  return { route: isReplay ? 'replay' : 'redelivered-head', head };
}

/** Attempts of a head whose replay (read at `replayOffset`) failed: a redelivery of a counted replay is no new attempt. */
export function attemptsAfterFailedReplay(head: ParkedHead, replayOffset: string): number {
  return head.replayedOffset === replayOffset ? head.attempts : head.attempts + 1;
}
