import type { RecordedEvent } from '@scylla-es/es-core';
import { foldWhileProjectable, type ViewStep } from './fold';

/** A read model's state of one aggregate, as far as it got, and the way to take it further. */
export interface ProjectedStream {
  /** The sequence of the last event reflected; 0 when the model has nothing of the aggregate yet. */
  readonly version: number;
  /** Applies and writes the stream's next event (its sequence must be version + 1). */
  apply(event: RecordedEvent): Promise<ProjectedStream>;
  /**
   * Applies the stream's next events (sequences version + 1, + 2, …) and writes them at once, as far as the
   * projection accepts them; resolves with how many it applied. Where the projection throws, it stops there and
   * writes what came before.
   */
  applyAll(events: readonly RecordedEvent[]): Promise<{ readonly stream: ProjectedStream; readonly applied: number }>;
  /** An event already reflected came again: finishes follow-up writes a crash may have cut short after it. */
  repeat(event: RecordedEvent): Promise<void>;
}

/** The read models of one aggregate type. */
export interface StreamProjection {
  readonly aggregateType: string;
  load(aggregateId: string): Promise<ProjectedStream>;
}

/** How one read model stores its view of an aggregate. */
export interface ViewStore<View> {
  load(aggregateId: string): Promise<View | null>;
  /** Writes the view after `event`; `before` is what it replaces (to find index rows the aggregate leaves). */
  save(before: View | null, after: View, event: RecordedEvent): Promise<void>;
  /** Writes the view after several consecutive events at once, leaving what their saves one by one would have. */
  saveAll(steps: readonly ViewStep<View>[]): Promise<void>;
  /** Repeats the follow-up writes of `event` (already reflected by `view`), which must be idempotent. */
  repeatFollowUps?(view: View, event: RecordedEvent): Promise<void>;
}

/** A StreamProjection from a pure projection function and the store of its views. */
export function viewProjection<View extends { readonly version: number }>(
  aggregateType: string,
  project: (current: View | null, event: RecordedEvent) => View,
  store: ViewStore<View>,
): StreamProjection {
  const streamAt = (view: View | null): ProjectedStream => ({
    version: view?.version ?? 0,
    apply: async (event) => {
      const next = project(view, event);
      await store.save(view, next, event);
      return streamAt(next);
    },
    applyAll: async (events) => {
      const { view: next, steps } = foldWhileProjectable(events, project, view);
      if (steps.length > 0) await store.saveAll(steps);
      return { stream: streamAt(next), applied: steps.length };
    },
    repeat: async (event) => {
      if (view !== null) await store.repeatFollowUps?.(view, event);
    },
  });
  return { aggregateType, load: async (aggregateId) => streamAt(await store.load(aggregateId)) };
}
