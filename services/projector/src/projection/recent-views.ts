import type { RecordedEvent } from '@scylla-es/es-core';
import type { ViewStore } from './stream-projection';

/**
 * A ViewStore that remembers the views it last loaded or wrote, so the next event of an aggregate applied
 * here is not preceded by a read of the row it just wrote. A remembered view is never ahead of the table: it
 * is kept only once its write succeeded. It may fall behind when another instance (during a rebalance) or a
 * rebuild writes the same aggregate; applying on a view behind the table is safe, because every write is the
 * aggregate's state at its event's sequence with that sequence as write timestamp, and a gap is filled from
 * event_store. Bounded: the least recently used view is forgotten first.
 */
export function recentViews<View>(store: ViewStore<View>, capacity: number): ViewStore<View> {
  const views = new Map<string, View | null>();
  const remember = (aggregateId: string, view: View | null) => {
    views.delete(aggregateId);
    views.set(aggregateId, view);
    if (views.size > capacity) views.delete(views.keys().next().value as string);
  };
  return {
    load: async (aggregateId) => {
      if (views.has(aggregateId)) {
        const view = views.get(aggregateId) as View | null;
        remember(aggregateId, view);
        return view;
      }
      const view = await store.load(aggregateId);
      remember(aggregateId, view);
      return view;
    },
    save: async (before: View | null, after: View, event: RecordedEvent) => {
      const aggregateId = event.aggregateId;
      try {
        await store.save(before, after, event);
      } catch (error) {
        // Whether the write landed is unknown: the next event reads the table again.
        views.delete(aggregateId);
        throw error;
      }
      remember(aggregateId, after);
    },
    ...(store.repeatFollowUps ? { repeatFollowUps: store.repeatFollowUps.bind(store) } : {}),
  };
}
