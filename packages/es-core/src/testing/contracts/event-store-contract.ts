/// <reference types="jest" />
import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '../../core/envelope/event-envelope';
import { ConcurrencyConflictError } from '../../core/errors/store-errors';
import type { EventStore } from '../../core/ports/event-store';
import type { EventUpcasting } from '../../core/upcasting/upcasting';
import { counterEvents } from '../counter-aggregate';

/** Builds the store under test; it must lift the `Counter` aggregate's events with the upcasting given. */
export type EventStoreFactory = (upcastingFor: (aggregateType: string) => EventUpcasting) => Promise<EventStore> | EventStore;

const metadata = (): EventMetadata => ({ correlationId: randomUUID(), commandId: randomUUID() });
const stream = () => ({ aggregateType: 'Counter', aggregateId: randomUUID() });
const increments = (...amounts: number[]) => amounts.map((by) => ({ type: 'Incremented', data: { by } }));

/**
 * What every EventStore promises, run against each implementation so the in-memory one used by unit specs
 * cannot drift from the one on the database. Streams are fresh per test, so the store may be shared.
 */
export function eventStoreContract(implementation: string, createStore: EventStoreFactory): void {
  describe(`the ${implementation} event store, as every event store`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await createStore(() => counterEvents);
    });

    const append = (target: { aggregateType: string; aggregateId: string }, expectedVersion: number, amounts: number[], occurredAt = new Date()) =>
      store.append({ stream: target, expectedVersion, events: increments(...amounts), metadata: metadata(), topic: 'counters.events', occurredAt });

    it('numbers appended events after the expected version and reads them back in order with their metadata', async () => {
      const target = stream();
      const meta = metadata();
      const occurredAt = new Date('2026-01-01T10:00:00Z');
      const result = await store.append({ stream: target, expectedVersion: 0, events: increments(2, 3), metadata: meta, topic: 'counters.events', occurredAt });
      expect(result.nextVersion).toBe(2);
      expect(result.events.map((event) => [event.sequence, event.schemaVersion, event.aggregateId])).toEqual([
        [1, 2, target.aggregateId],
        [2, 2, target.aggregateId],
      ]);
      const read = [];
      for await (const event of store.read(target.aggregateId)) read.push(event);
      expect(read).toEqual(result.events);
      expect(read[0]?.metadata).toEqual(meta);
      expect(read[0]?.occurredAt).toEqual(occurredAt);
    });

    it('answers version 0 and no events for an aggregate that has none', async () => {
      const target = stream();
      expect(await store.version(target.aggregateId)).toBe(0);
      expect(await store.readPage(target.aggregateId)).toEqual({ events: [] });
    });

    it('appends nothing and reports the expected version when given no events', async () => {
      const target = stream();
      await append(target, 0, [1]);
      expect(await store.append({ stream: target, expectedVersion: 1, events: [], metadata: metadata(), topic: 'counters.events', occurredAt: new Date() })).toEqual({
        nextVersion: 1,
        events: [],
      });
      expect(await store.version(target.aggregateId)).toBe(1);
    });

    it('rejects an append whose expected version is behind or ahead of the head, naming the head', async () => {
      const target = stream();
      await append(target, 0, [1]);
      await append(target, 1, [1]);
      await expect(append(target, 1, [1])).rejects.toBeInstanceOf(ConcurrencyConflictError);
      await expect(append(target, 7, [1])).rejects.toBeInstanceOf(ConcurrencyConflictError);
      await expect(append(target, 7, [1])).rejects.toMatchObject({ actualVersion: 2 });
      await expect(append(target, 0, [1])).rejects.toBeInstanceOf(ConcurrencyConflictError);
      expect(await store.version(target.aggregateId)).toBe(2);
    });

    it('lets exactly one of two appends at the same expected version win', async () => {
      const target = stream();
      const outcomes = await Promise.allSettled([append(target, 0, [1]), append(target, 0, [2])]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(await store.version(target.aggregateId)).toBe(1);
    });

    it('refuses event data its current schema rejects, appending nothing', async () => {
      const target = stream();
      await expect(
        store.append({ stream: target, expectedVersion: 0, events: [{ type: 'Incremented', data: { by: 'two' } }], metadata: metadata(), topic: 'counters.events', occurredAt: new Date() }),
      ).rejects.toThrow();
      expect(await store.version(target.aggregateId)).toBe(0);
    });

    it('pages through a long stream and reads a range of sequences', async () => {
      const target = stream();
      await append(target, 0, Array.from({ length: 25 }, (_, index) => index + 1));
      const first = await store.readPage(target.aggregateId, { pageSize: 10 });
      expect(first.events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(first.nextSequence).toBe(11);
      const last = await store.readPage(target.aggregateId, { fromSequence: 21, pageSize: 10 });
      expect(last.events.map((event) => event.sequence)).toEqual([21, 22, 23, 24, 25]);
      expect(last.nextSequence).toBeUndefined();
      let count = 0;
      for await (const _event of store.read(target.aggregateId, { pageSize: 7 })) count++;
      expect(count).toBe(25);
      const range = [];
      for await (const event of store.read(target.aggregateId, { fromSequence: 4, toSequence: 16, pageSize: 5 })) range.push(event.sequence);
      expect(range).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    });

    it('stops at the first event that occurred after an instant', async () => {
      const target = stream();
      await append(target, 0, [1], new Date('2026-03-01T00:00:00Z'));
      await append(target, 1, [2], new Date('2026-03-02T00:00:00Z'));
      const page = await store.readPage(target.aggregateId, { asOf: new Date('2026-03-01T12:00:00Z') });
      expect(page.events.map((event) => event.sequence)).toEqual([1]);
      expect(page.nextSequence).toBeUndefined();
    });

    it("finds the version right after a command's events by its command id", async () => {
      const target = stream();
      const meta = metadata();
      await append(target, 0, [1]);
      await store.append({ stream: target, expectedVersion: 1, events: increments(1, 1), metadata: meta, topic: 'counters.events', occurredAt: new Date() });
      await append(target, 3, [1]);
      expect(await store.versionAfterCommand(target.aggregateId, meta.commandId ?? '')).toBe(3);
      expect(await store.versionAfterCommand(target.aggregateId, randomUUID())).toBeUndefined();
    });
  });
}
