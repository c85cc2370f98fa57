import type { RecordedEvent } from '@scylla-es/es-core';

/** One event applied to a view: what the view was, what it became. */
export interface ViewStep<View> {
  readonly before: View | null;
  readonly after: View;
  readonly event: RecordedEvent;
}

/** Where a fold stopped: the event the projection could not apply, and why. */
export interface FoldStop {
  readonly sequence: number;
  readonly error: unknown;
}

/** A view after the events a fold took, each step on the way, and the event it stopped before, if any. */
export interface Fold<View> {
  readonly view: View | null;
  readonly steps: readonly ViewStep<View>[];
  readonly stoppedAt?: FoldStop;
}

/**
 * Folds consecutive events of one aggregate onto `from` while `project` accepts them; where it throws, the fold
 * stops before that event.
 */
export function foldWhileProjectable<View>(
  events: readonly RecordedEvent[],
  project: (current: View | null, event: RecordedEvent) => View,
  from: View | null = null,
): Fold<View> {
  let view = from;
  const steps: ViewStep<View>[] = [];
  for (const event of events) {
    let next: View;
    try {
      next = project(view, event);
    } catch (error) {
      return { view, steps, stoppedAt: { sequence: event.sequence, error } };
    }
    steps.push({ before: view, after: next, event });
    view = next;
  }
  return { view, steps };
}
