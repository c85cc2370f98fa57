import type { RecordedEvent } from '@scylla-es/es-core';
import { recentViews } from './recent-views';
import type { ViewStep } from './fold';
import type { ViewStore } from './stream-projection';

interface Count {
  readonly version: number;
}

/** A table of views that counts its reads and can be told to fail the next write. */
class CountingTable implements ViewStore<Count> {
  readonly rows = new Map<string, Count>();
  reads = 0;
  failNextWrite = false;
  async load(aggregateId: string): Promise<Count | null> {
    this.reads += 1;
    return this.rows.get(aggregateId) ?? null;
  }
  async save(_before: Count | null, after: Count, event: RecordedEvent): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('write timed out');
    }
    this.rows.set(event.aggregateId, after);
  }
  async saveAll(steps: readonly ViewStep<Count>[]): Promise<void> {
    const last = steps.at(-1);
    if (last) await this.save(last.before, last.after, last.event);
  }
}

const eventOf = (aggregateId: string, sequence: number) => ({ aggregateId, sequence }) as RecordedEvent;

describe('recentViews', () => {
  it('given a view it wrote, when the aggregate is loaded again, then the table is not read', async () => {
    const table = new CountingTable();
    const views = recentViews(table, 10);
    expect(await views.load('a')).toBeNull();
    await views.save(null, { version: 1 }, eventOf('a', 1));
    expect(await views.load('a')).toEqual({ version: 1 });
    expect(table.reads).toBe(1);
  });

  it('given a write that failed, when the aggregate is loaded again, then the table is read', async () => {
    const table = new CountingTable();
    const views = recentViews(table, 10);
    await views.save(null, { version: 1 }, eventOf('a', 1));
    table.failNextWrite = true;
    await expect(views.save({ version: 1 }, { version: 2 }, eventOf('a', 2))).rejects.toThrow('write timed out');
    expect(await views.load('a')).toEqual({ version: 1 });
    expect(table.reads).toBe(1);
  });

  it('given more aggregates than it holds, then the least recently used one is read again', async () => {
    const table = new CountingTable();
    const views = recentViews(table, 2);
    await views.save(null, { version: 1 }, eventOf('a', 1));
    await views.save(null, { version: 1 }, eventOf('b', 1));
    await views.load('a');
    await views.save(null, { version: 1 }, eventOf('c', 1));
    await views.load('a');
    await views.load('c');
    expect(table.reads).toBe(0);
    await views.load('b');
    expect(table.reads).toBe(1);
  });

  it('given several events written at once, then it remembers the last view, and forgets it when the write failed', async () => {
    const table = new CountingTable();
    const views = recentViews(table, 10);
    const steps = [
      { before: null, after: { version: 1 }, event: eventOf('a', 1) },
      { before: { version: 1 }, after: { version: 2 }, event: eventOf('a', 2) },
    ];
    await views.saveAll(steps);
    expect(await views.load('a')).toEqual({ version: 2 });
    expect(table.reads).toBe(0);
    table.failNextWrite = true;
    await expect(views.saveAll([{ before: { version: 2 }, after: { version: 3 }, event: eventOf('a', 3) }])).rejects.toThrow('write timed out');
    expect(await views.load('a')).toEqual({ version: 2 });
    expect(table.reads).toBe(1);
  });
});
