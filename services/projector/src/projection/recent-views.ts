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
  /** Remembers `after` once `write` succeeded; when it failed, whether it landed is unknown: the next event reads the table. */
  const remembered = async (event: RecordedEvent, after: View, write: () => Promise<void>) => {
    try {
      await write();
    } catch (error) {
      views.delete(event.aggregateId);
      throw error;
    }
    remember(event.aggregateId, after);
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
    save: (before: View | null, after: View, event: RecordedEvent) => remembered(event, after, () => store.save(before, after, event)),
    saveAll: async (steps) => {
      const last = steps.at(-1);
      if (last) await remembered(last.event, last.after, () => store.saveAll(steps));
    },
    ...(store.repeatFollowUps ? { repeatFollowUps: store.repeatFollowUps.bind(store) } : {}),
  };
}
