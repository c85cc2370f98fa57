import { randomUUID } from 'node:crypto';
import { counterDefinition, counterEvents, InMemoryEventStore, InMemorySnapshotStore, type CounterCommand } from '../../testing';
import { RuleViolationError } from '../errors/domain-errors';
import { ConcurrencyConflictError, PreconditionFailedError } from '../errors/store-errors';
import type { AppendRequest, AppendResult, EventPage, ReadOptions } from '../ports/event-store';
import type { Snapshot, SnapshotStore } from '../ports/snapshot-store';
import { AggregateStateCache } from './aggregate-state-cache';
import { CommandHandler, type CommandHandlerOptions, type HeldStateMode } from './command-handler';

/** The in-memory journal, counting what the handler asks of it. */
class CountingEventStore extends InMemoryEventStore {
  pagesRead = 0;
  appends = 0;
  constructor() {
    super(() => counterEvents);
  }
  override readPage(aggregateId: string, options?: ReadOptions): Promise<EventPage> {
    this.pagesRead += 1;
    return super.readPage(aggregateId, options);
  }
  override append(request: AppendRequest): Promise<AppendResult> {
    this.appends += 1;
    return super.append(request);
  }
}

const command = (handler: CommandHandler, id: string, body: CounterCommand, expectedVersion?: number, snapshotEvery?: number) =>
  handler.handle(counterDefinition(snapshotEvery), id, body, {
    metadata: { correlationId: randomUUID() },
    occurredAt: new Date(),
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  });

/** The precondition failure a command ended with (failing the spec if it ended otherwise). */
async function preconditionFailure(outcome: Promise<unknown>): Promise<PreconditionFailedError> {
  const error = await outcome.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(PreconditionFailedError);
  return error as PreconditionFailedError;
}

function setUp(options: CommandHandlerOptions = {}) {
  const events = new CountingEventStore();
  const snapshots = new InMemorySnapshotStore();
  return { events, snapshots, handler: new CommandHandler(events, snapshots, options) };
}

/** Two processes over one journal, each with its own held states. */
function twoProcesses(mode: HeldStateMode) {
  const events = new CountingEventStore();
  const snapshots = new InMemorySnapshotStore();
  const process = () => new CommandHandler(events, snapshots, { states: { cache: new AggregateStateCache(100), mode } });
  return { events, a: process(), b: process() };
}

describe('the command handler', () => {
  describe('with held states', () => {
    it.each<[HeldStateMode, number]>([
      ['optimistic', 0],
      ['verified', 5],
    ])('%s: 5 commands on a held state read the journal %i times', async (mode, reads) => {
      const { events, handler } = setUp({ states: { cache: new AggregateStateCache(100), mode } });
      const id = randomUUID();
      await command(handler, id, { type: 'Increment', by: 1 });
      const readsBefore = events.pagesRead;
      for (let index = 0; index < 5; index++) await command(handler, id, { type: 'Increment', by: 1 });
      expect(events.pagesRead - readsBefore).toBe(reads);
      expect(await events.version(id)).toBe(6);
    });

    it('optimistic: a held state another process moved on loses its append once and is decided again on the current state', async () => {
      const conflicts: number[] = [];
      const events = new CountingEventStore();
      const snapshots = new InMemorySnapshotStore();
      const a = new CommandHandler(events, snapshots, {
        states: { cache: new AggregateStateCache(100), mode: 'optimistic' },
        observer: { onConflict: (_type, attempt) => conflicts.push(attempt) },
      });
      const b = new CommandHandler(events, snapshots);
      const id = randomUUID();
      await command(a, id, { type: 'Increment', by: 1 });
      await command(b, id, { type: 'Increment', by: 5 });
      const appendsBefore = events.appends;
      await expect(command(a, id, { type: 'Increment', by: 10 })).resolves.toMatchObject({ version: 3, state: { total: 16 } });
      expect(events.appends - appendsBefore).toBe(2);
      expect(conflicts).toEqual([1]);
    });

    it('verified: a held state another process moved on is brought up to date before the decision, with no failed append', async () => {
      const { events, a, b } = twoProcesses('verified');
      const id = randomUUID();
      await command(a, id, { type: 'Increment', by: 1 });
      await command(b, id, { type: 'Increment', by: 5 });
      const appendsBefore = events.appends;
      await expect(command(a, id, { type: 'Increment', by: 10 })).resolves.toMatchObject({ version: 3, state: { total: 16 } });
      expect(events.appends - appendsBefore).toBe(1);
    });

    it('optimistic: a refusal on a held state is judged again on the current state', async () => {
      const { a, b } = twoProcesses('optimistic');
      const id = randomUUID();
      await command(a, id, { type: 'Increment', by: 1 });
      await command(a, id, { type: 'Reset', reason: 'a resets' });
      await command(b, id, { type: 'Increment', by: 5 });
      await expect(command(a, id, { type: 'Reset', reason: 'a resets again' })).resolves.toMatchObject({ version: 4, state: { total: 0 } });
    });

    it('never holds the state of an aggregate that does not exist', async () => {
      const cache = new AggregateStateCache(100);
      const { handler } = setUp({ states: { cache, mode: 'optimistic' } });
      await handler.load(counterDefinition(), randomUUID());
      await command(handler, randomUUID(), { type: 'Noop' });
      await expect(command(handler, randomUUID(), { type: 'Reset', reason: 'nothing there' })).rejects.toBeInstanceOf(RuleViolationError);
      expect(cache.size).toBe(0);
    });

    it('holds no past state for a load up to a sequence or an instant', async () => {
      const cache = new AggregateStateCache(100);
      const { events, snapshots, handler } = setUp();
      const id = randomUUID();
      for (let index = 0; index < 3; index++) await command(handler, id, { type: 'Increment', by: 1 });
      const holding = new CommandHandler(events, snapshots, { states: { cache, mode: 'optimistic' } });
      await holding.load(counterDefinition(), id, { toSequence: 2 });
      await holding.load(counterDefinition(), id, { asOf: new Date() });
      expect(cache.size).toBe(0);
    });
  });

  describe('when another writer keeps winning', () => {
    /** A journal where every append loses the race to a writer at the next version. */
    class AlwaysBehindEventStore extends CountingEventStore {
      override async append(request: AppendRequest): Promise<AppendResult> {
        this.appends += 1;
        throw new ConcurrencyConflictError(request.stream.aggregateId, request.expectedVersion, request.expectedVersion + 1);
      }
    }

    it('gives up with the conflict after the configured number of attempts', async () => {
      const conflicts: [number, boolean][] = [];
      const events = new AlwaysBehindEventStore();
      const handler = new CommandHandler(events, new InMemorySnapshotStore(), {
        maxAttempts: 3,
        observer: { onConflict: (_type, attempt, willRetry) => conflicts.push([attempt, willRetry]) },
      });
      await expect(command(handler, randomUUID(), { type: 'Increment', by: 1 })).rejects.toBeInstanceOf(ConcurrencyConflictError);
      expect(events.appends).toBe(3);
      expect(conflicts).toEqual([
        [1, true],
        [2, true],
        [3, false],
      ]);
    });

    it('answers a lost race under If-Match with a precondition failure at once, naming the version that won', async () => {
      const conflicts: boolean[] = [];
      const events = new AlwaysBehindEventStore();
      const handler = new CommandHandler(events, new InMemorySnapshotStore(), {
        maxAttempts: 3,
        observer: { onConflict: (_type, _attempt, willRetry) => conflicts.push(willRetry) },
      });
      const failure = await preconditionFailure(command(handler, randomUUID(), { type: 'Increment', by: 1 }, 0));
      expect(failure).toMatchObject({ expectedVersion: 0, actualVersion: 1 });
      expect(events.appends).toBe(1);
      expect(conflicts).toEqual([false]);
    });
  });

  describe('with If-Match', () => {
    it('fails a stale expected version with a precondition failure, appending nothing', async () => {
      const { events, handler } = setUp();
      const id = randomUUID();
      await command(handler, id, { type: 'Increment', by: 1 });
      await command(handler, id, { type: 'Increment', by: 1 });
      const appendsBefore = events.appends;
      const failure = await preconditionFailure(command(handler, id, { type: 'Increment', by: 1 }, 1));
      expect(failure).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(events.appends).toBe(appendsBefore);
      expect(await events.version(id)).toBe(2);
    });

    it('optimistic: fails an If-Match that matches the held state but not the journal', async () => {
      const { events, a, b } = twoProcesses('optimistic');
      const id = randomUUID();
      await command(a, id, { type: 'Increment', by: 1 });
      await command(b, id, { type: 'Increment', by: 1 });
      const failure = await preconditionFailure(command(a, id, { type: 'Increment', by: 1 }, 1));
      expect(failure).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
      expect(await events.version(id)).toBe(2);
    });

    it('accepts the current version', async () => {
      const { handler } = setUp();
      const id = randomUUID();
      await command(handler, id, { type: 'Increment', by: 1 });
      await expect(command(handler, id, { type: 'Increment', by: 1 }, 1)).resolves.toMatchObject({ version: 2 });
    });
  });

  describe('snapshots', () => {
    it('takes one each time the version crosses a multiple of the cadence, and none in between', async () => {
      const { snapshots, handler } = setUp();
      const id = randomUUID();
      for (let index = 0; index < 9; index++) await command(handler, id, { type: 'Increment', by: 1 }, undefined, 10);
      expect(await snapshots.latest('Counter', id)).toBeUndefined();
      for (let index = 0; index < 14; index++) await command(handler, id, { type: 'Increment', by: 1 }, undefined, 10);
      expect(await snapshots.latest('Counter', id)).toEqual({ sequence: 20, stateVersion: 1, state: { total: 20, increments: 20 } });
      expect(await snapshots.latest('Counter', id, 19)).toEqual({ sequence: 10, stateVersion: 1, state: { total: 10, increments: 10 } });
      expect(await snapshots.latest('Counter', id, 9)).toBeUndefined();
    });

    it('loads from the newest snapshot of the current state version plus the events after it', async () => {
      const { snapshots, handler } = setUp();
      const id = randomUUID();
      for (let index = 0; index < 12; index++) await command(handler, id, { type: 'Increment', by: 1 }, undefined, 10);
      // A tampered snapshot shows through if, and only if, the load uses it.
      await snapshots.save('Counter', id, { sequence: 10, stateVersion: 1, state: { total: 1000, increments: 10 } });
      expect((await handler.load(counterDefinition(10), id)).state.total).toBe(1002);
      await snapshots.save('Counter', id, { sequence: 11, stateVersion: 0, state: { total: -1, increments: 0 } });
      expect((await handler.load(counterDefinition(10), id)).state.total).toBe(12);
    });

    it('reports a snapshot that cannot be written and still answers the committed command', async () => {
      const failures: string[] = [];
      const broken: SnapshotStore = {
        save: async (_type: string, _id: string, _snapshot: Snapshot) => {
          throw new Error('snapshot table unavailable');
        },
        latest: async () => undefined,
      };
      const handler = new CommandHandler(new CountingEventStore(), broken, {
        observer: { onSnapshotFailed: (_type, aggregateId) => failures.push(aggregateId) },
      });
      const id = randomUUID();
      await expect(command(handler, id, { type: 'Increment', by: 1 }, undefined, 1)).resolves.toMatchObject({ version: 1 });
      expect(failures).toEqual([id]);
    });
  });
});
