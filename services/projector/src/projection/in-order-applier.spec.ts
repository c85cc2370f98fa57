import type { RecordedEvent } from '@scylla-es/es-core';
import { InMemoryEventStore, counterEvents } from '@scylla-es/es-core/testing';
import { InOrderApplier, GapNotFilledError } from './in-order-applier';
import type { ViewStep } from './fold';
import { viewProjection, type ViewStore } from './stream-projection';

interface TotalView {
  readonly total: number;
  readonly version: number;
}

/** A view store in memory that records every write, to tell "changed nothing" from "wrote the same again". */
class RecordingViewStore implements ViewStore<TotalView> {
  readonly views = new Map<string, TotalView>();
  readonly writes: number[] = [];
  async load(aggregateId: string): Promise<TotalView | null> {
    return this.views.get(aggregateId) ?? null;
  }
  async save(_before: TotalView | null, after: TotalView, event: RecordedEvent): Promise<void> {
    this.views.set(event.aggregateId, after);
    this.writes.push(event.sequence);
  }
  /** One write for all the steps: recorded as the sequence it reaches. */
  async saveAll(steps: readonly ViewStep<TotalView>[]): Promise<void> {
    const last = steps.at(-1);
    if (last) await this.save(last.before, last.after, last.event);
  }
}

/** Adds up the amounts; a negative one is an event the projection cannot take (a poison). */
const sumOf = (current: TotalView | null, event: RecordedEvent): TotalView => {
  const { by } = event.data as { by: number };
  if (by < 0) throw new Error(`cannot add ${by}`);
  return { total: (current?.total ?? 0) + by, version: event.sequence };
};

async function counterWithEvents(store: InMemoryEventStore, aggregateId: string, amounts: readonly number[]): Promise<RecordedEvent[]> {
  const { events } = await store.append({
    stream: { aggregateType: 'Counter', aggregateId },
    expectedVersion: 0,
    events: amounts.map((by) => ({ type: 'Incremented', data: { by } })),
    metadata: { correlationId: 'spec' },
    topic: 'counters.events',
    occurredAt: new Date('2025-03-01T09:00:00.000Z'),
  });
  return [...events];
}

describe('InOrderApplier', () => {
  let store: InMemoryEventStore;
  let views: RecordingViewStore;
  let applier: InOrderApplier;

  beforeEach(() => {
    store = new InMemoryEventStore(() => counterEvents);
    views = new RecordingViewStore();
    applier = new InOrderApplier([viewProjection('Counter', sumOf, views)], store);
  });

  it('applies the events of a stream in order', async () => {
    const events = await counterWithEvents(store, 'c1', [1, 2, 3]);
    for (const event of events) expect(await applier.apply(event)).toEqual({ aggregateType: 'Counter', result: 'applied', gapFilled: 0 });
    expect(views.views.get('c1')).toEqual({ total: 6, version: 3 });
  });

  it('changes nothing for a duplicate or an older event', async () => {
    const [first, second] = await counterWithEvents(store, 'c1', [1, 2]);
    await applier.apply(first!);
    await applier.apply(second!);
    expect(await applier.apply(second!)).toMatchObject({ result: 'duplicate' });
    expect(await applier.apply(first!)).toMatchObject({ result: 'duplicate' });
    expect(views.writes).toEqual([1, 2]);
    expect(views.views.get('c1')).toEqual({ total: 3, version: 2 });
  });

  it('fills a gap from the event store before applying the event after it', async () => {
    const events = await counterWithEvents(store, 'c1', [1, 10, 100, 1000]);
    await applier.apply(events[0]!);
    expect(await applier.apply(events[3]!)).toEqual({ aggregateType: 'Counter', result: 'applied', gapFilled: 2 });
    expect(views.writes).toEqual([1, 2, 3, 4]);
    expect(views.views.get('c1')).toEqual({ total: 1111, version: 4 });
  });

  it('refuses to apply past a gap the event store cannot fill', async () => {
    const [first] = await counterWithEvents(store, 'c1', [1]);
    const ahead = { ...first!, sequence: 3 };
    await expect(applier.apply(ahead)).rejects.toBeInstanceOf(GapNotFilledError);
    expect(views.writes).toEqual([]);
  });

  it('leaves events of aggregate types it has no model for alone', async () => {
    const [first] = await counterWithEvents(store, 'c1', [1]);
    expect(await applier.apply({ ...first!, aggregateType: 'Clock' })).toMatchObject({ result: 'unknown-aggregate-type' });
    expect(views.writes).toEqual([]);
  });

  describe('a run of consecutive events', () => {
    it('applies them with one write', async () => {
      const events = await counterWithEvents(store, 'c1', [1, 2, 3]);
      expect(await applier.applyRun(events)).toEqual({ aggregateType: 'Counter', applied: 3, gapFilled: 0 });
      expect(views.writes).toEqual([3]);
      expect(views.views.get('c1')).toEqual({ total: 6, version: 3 });
    });

    it('fills the gap before it in the same write', async () => {
      const events = await counterWithEvents(store, 'c1', [1, 10, 100, 1000]);
      await applier.apply(events[0]!);
      expect(await applier.applyRun(events.slice(2))).toEqual({ aggregateType: 'Counter', applied: 2, gapFilled: 1 });
      expect(views.writes).toEqual([1, 4]);
      expect(views.views.get('c1')).toEqual({ total: 1111, version: 4 });
    });

    it('declines a run that starts with an event already reflected, so duplicates go one by one', async () => {
      const events = await counterWithEvents(store, 'c1', [1, 2, 3]);
      await applier.apply(events[0]!);
      expect(await applier.applyRun(events)).toMatchObject({ applied: 0 });
      expect(views.writes).toEqual([1]);
    });

    it('stops where the sequence breaks or another aggregate begins', async () => {
      const events = await counterWithEvents(store, 'c1', [1, 2, 3]);
      const [other] = await counterWithEvents(store, 'c2', [5]);
      expect(await applier.applyRun([events[0]!, events[2]!])).toMatchObject({ applied: 1 });
      expect(await applier.applyRun([events[1]!, other!])).toMatchObject({ applied: 1 });
      expect(views.views.get('c1')).toEqual({ total: 3, version: 2 });
      expect(views.views.has('c2')).toBe(false);
    });

    it('writes what comes before an event the projection rejects, and stops there', async () => {
      const events = await counterWithEvents(store, 'c1', [1, 2, -1, 4]);
      expect(await applier.applyRun(events)).toMatchObject({ applied: 2 });
      expect(views.writes).toEqual([2]);
      await expect(applier.apply(events[2]!)).rejects.toThrow('cannot add -1');
    });
  });
});
