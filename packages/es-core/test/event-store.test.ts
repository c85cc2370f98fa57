import { randomUUID } from 'node:crypto';
import { types, type Client } from 'cassandra-driver';
import {
  AggregateStateCache,
  CommandHandler,
  ConcurrencyConflictError,
  PreconditionFailedError,
  RuleViolationError,
  type EventMetadata,
  type HeldStateMode,
  type ReadOptions,
} from '../src';
import { CqlEventStore, CqlSnapshotStore } from '../src/cql';
import { counterDefinition, counterEvents, migratedKeyspace, testEngines, type CounterCommand } from '../src/testing';

const metadata = (): EventMetadata => ({ correlationId: randomUUID(), commandId: randomUUID() });
const at = (iso: string) => new Date(iso);

describe('the CQL event store', () => {
  let client: Client;
  let keyspace: string;
  let drop: () => Promise<void>;
  let store: CqlEventStore;
  let snapshots: CqlSnapshotStore;

  beforeAll(async () => {
    ({ client, keyspace, drop } = await migratedKeyspace('store'));
    store = new CqlEventStore(client, keyspace, () => counterEvents);
    snapshots = new CqlSnapshotStore(client, keyspace);
  });
  afterAll(() => drop());

  const stream = () => ({ aggregateType: 'Counter', aggregateId: randomUUID() });

  it('appends events with their outbox envelope and reads them back in order', async () => {
    const target = stream();
    const meta = metadata();
    const result = await store.append({
      stream: target,
      expectedVersion: 0,
      events: [
        { type: 'Incremented', data: { by: 2 } },
        { type: 'Incremented', data: { by: 3 } },
      ],
      metadata: meta,
      topic: 'counters.events',
      occurredAt: at('2026-01-01T10:00:00Z'),
    });
    expect(result.nextVersion).toBe(2);
    expect(await store.version(target.aggregateId)).toBe(2);

    const read = [];
    for await (const event of store.read(target.aggregateId)) read.push(event);
    expect(read.map((event) => [event.sequence, event.type, event.data])).toEqual([
      [1, 'Incremented', { by: 2 }],
      [2, 'Incremented', { by: 3 }],
    ]);
    expect(read[0]?.metadata).toEqual(meta);

    const row = (
      await client.execute(
        `SELECT topic, message_key, headers, command_id FROM ${keyspace}.event_store WHERE aggregate_id = ? AND sequence = 2`,
        [target.aggregateId],
        { prepare: true },
      )
    ).first();
    expect(row.get('topic')).toBe('counters.events');
    expect(row.get('message_key')).toBe(target.aggregateId);
    expect(row.get('command_id')).toBe(meta.commandId);
    expect(row.get('headers')).toMatchObject({
      'event-type': 'Incremented',
      'schema-version': '2',
      'aggregate-type': 'Counter',
      'aggregate-id': target.aggregateId,
      sequence: '2',
      'correlation-id': meta.correlationId,
      'occurred-at': '2026-01-01T10:00:00.000Z',
    });
  });

  it('logs an append as the head update and one insert per event, with no tombstone for an absent command id', async () => {
    const target = stream();
    await store.append({
      stream: target,
      expectedVersion: 0,
      events: [
        { type: 'Incremented', data: { by: 1 } },
        { type: 'Incremented', data: { by: 1 } },
      ],
      metadata: { correlationId: randomUUID() },
      topic: 'counters.events',
      occurredAt: new Date(),
    });
    const row = (
      await client.execute(`SELECT command_id FROM ${keyspace}.event_store WHERE aggregate_id = ? AND sequence = 1`, [target.aggregateId], {
        prepare: true,
      })
    ).first();
    expect(row.get('command_id')).toBeNull();
    await testEngines().cdcLogWritten();
    const logged = await client.execute(
      `SELECT aggregate_id, "cdc$operation" AS operation, sequence, "cdc$deleted_command_id" AS deleted_command_id
       FROM ${keyspace}.event_store_scylla_cdc_log`,
    );
    const mine = logged.rows.filter((logRow) => logRow.get('aggregate_id') === target.aggregateId);
    expect(mine.map((logRow) => [logRow.get('operation'), logRow.get('sequence')?.toNumber() ?? null, logRow.get('deleted_command_id')])).toEqual([
      [1, null, null],
      [2, 1, null],
      [2, 2, null],
    ]);
  });

  it('lets exactly one of two appends at the same expected version win', async () => {
    const target = stream();
    const attempt = (by: number) =>
      store.append({
        stream: target,
        expectedVersion: 0,
        events: [{ type: 'Incremented', data: { by } }],
        metadata: metadata(),
        topic: 'counters.events',
        occurredAt: new Date(),
      });
    const outcomes = await Promise.allSettled([attempt(1), attempt(2)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConcurrencyConflictError);
    expect((rejected.reason as ConcurrencyConflictError).actualVersion).toBe(1);

    const rows = await client.execute(`SELECT sequence FROM ${keyspace}.event_store WHERE aggregate_id = ?`, [target.aggregateId], {
      prepare: true,
    });
    expect(rows.rows.map((r) => (r.get('sequence') as types.Long).toNumber())).toEqual([1]);
  });

  it('lifts events stored at an old schema version through the upcaster chain', async () => {
    const target = stream();
    await client.execute(`UPDATE ${keyspace}.event_store SET version = 1, aggregate_type = 'Counter' WHERE aggregate_id = ?`, [
      target.aggregateId,
    ]);
    await client.execute(
      `INSERT INTO ${keyspace}.event_store (aggregate_id, sequence, event_id, event_type, schema_version, data, metadata, occurred_at)
       VALUES (?, 1, ?, 'Incremented', 1, '{"amount": 5}', '{"correlationId": "legacy"}', toTimestamp(now()))`,
      [target.aggregateId, types.Uuid.random()],
      { prepare: true },
    );
    const [event] = (await store.readPage(target.aggregateId)).events;
    expect(event).toMatchObject({ type: 'Incremented', schemaVersion: 2, data: { by: 5 } });
  });

  describe('through the command handler', () => {
    it('decides on the loaded state and retries a lost race until every command is applied', async () => {
      const handler = new CommandHandler(store, snapshots, { maxAttempts: 50 });
      const definition = counterDefinition();
      const id = randomUUID();
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, () =>
          handler.handle(definition, id, { type: 'Increment', by: 1 }, { metadata: metadata(), occurredAt: new Date() }),
        ),
      );
      const succeeded = results.filter((result) => result.status === 'fulfilled');
      expect(succeeded).toHaveLength(12);
      const { state, version } = await handler.load(definition, id);
      expect(state.total).toBe(12);
      expect(version).toBe(12);
    });

    it('turns a stale If-Match version into PreconditionFailed without appending', async () => {
      const handler = new CommandHandler(store, snapshots);
      const definition = counterDefinition();
      const id = randomUUID();
      await handler.handle(definition, id, { type: 'Increment', by: 1 }, { metadata: metadata(), occurredAt: new Date() });
      await expect(
        handler.handle(definition, id, { type: 'Increment', by: 1 }, { metadata: metadata(), occurredAt: new Date(), expectedVersion: 0 }),
      ).rejects.toBeInstanceOf(PreconditionFailedError);
      expect(await store.version(id)).toBe(1);
    });

    it('appends nothing when the decider decides nothing, and surfaces rule violations', async () => {
      const handler = new CommandHandler(store, snapshots);
      const definition = counterDefinition();
      const id = randomUUID();
      await expect(handler.handle(definition, id, { type: 'Noop' }, { metadata: metadata(), occurredAt: new Date() })).resolves.toMatchObject({
        version: 0,
        events: [],
      });
      await expect(
        handler.handle(definition, id, { type: 'Increment', by: -1 }, { metadata: metadata(), occurredAt: new Date() }),
      ).rejects.toBeInstanceOf(RuleViolationError);
      expect(await store.version(id)).toBe(0);
    });

    it('snapshots every N events and loads from the newest snapshot plus the tail', async () => {
      const handler = new CommandHandler(store, snapshots);
      const definition = counterDefinition(10);
      const id = randomUUID();
      for (let index = 0; index < 23; index++) {
        await handler.handle(definition, id, { type: 'Increment', by: 1 }, { metadata: metadata(), occurredAt: new Date() });
      }
      expect(await snapshots.latest('Counter', id)).toMatchObject({ sequence: 20, state: { total: 20, increments: 20 } });
      expect(await snapshots.latest('Order', id)).toBeUndefined();
      // Tamper with the snapshot: if the load uses it, the tampered total shows through.
      await new CqlSnapshotStore(client, keyspace).save('Counter', id, { sequence: 20, stateVersion: 1, state: { total: 1000, increments: 20 } });
      expect((await handler.load(definition, id)).state.total).toBe(1003);
      // An older state version is ignored: the state is replayed from the events.
      await snapshots.save('Counter', id, { sequence: 21, stateVersion: 0, state: { total: -1, increments: 0 } });
      expect((await handler.load(definition, id)).state.total).toBe(23);
    });

    it('loads the state as of a version or an instant (time travel)', async () => {
      const handler = new CommandHandler(store, snapshots);
      const definition = counterDefinition(2);
      const id = randomUUID();
      const times = ['2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', '2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z'];
      for (const [index, time] of times.entries()) {
        await handler.handle(definition, id, { type: 'Increment', by: 10 ** index }, { metadata: metadata(), occurredAt: at(time) });
      }
      expect(await handler.load(definition, id, { toSequence: 3 })).toEqual({ state: { total: 111, increments: 3 }, version: 3 });
      expect(await handler.load(definition, id, { asOf: at('2026-03-02T12:00:00Z') })).toEqual({
        state: { total: 11, increments: 2 },
        version: 2,
      });
      expect(await handler.load(definition, id, { asOf: at('2026-02-01T00:00:00Z') })).toEqual({
        state: { total: 0, increments: 0 },
        version: 0,
      });
    });
  });
  describe('with states held in memory', () => {
    /** The store as one process sees it, counting the reads it makes (the engine underneath is the real one). */
    class CountingEventStore extends CqlEventStore {
      pagesRead = 0;
      override readPage(aggregateId: string, options?: ReadOptions) {
        this.pagesRead += 1;
        return super.readPage(aggregateId, options);
      }
    }

    /** One process: its own cache, sharing the keyspace with the others. */
    const instance = (mode: HeldStateMode) => {
      const events = new CountingEventStore(client, keyspace, () => counterEvents);
      // A command loses a conditional append only to another command's win, so 20 attempts let each of the 20
      // contenders below through, however the races fall.
      const handler = new CommandHandler(events, snapshots, { states: { cache: new AggregateStateCache(100), mode }, maxAttempts: 20 });
      const run = (id: string, command: CounterCommand, expectedVersion?: number) =>
        handler.handle(counterDefinition(), id, command, {
          metadata: metadata(),
          occurredAt: new Date(),
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
        });
      return { events, handler, run };
    };

    it.each<[HeldStateMode, number]>([
      ['optimistic', 0],
      ['verified', 5],
    ])('%s: 5 commands on a held state read the store %i times', async (mode, reads) => {
      const { events, run } = instance(mode);
      const id = randomUUID();
      await run(id, { type: 'Increment', by: 1 });
      const readsBefore = events.pagesRead;
      for (let index = 0; index < 5; index++) await run(id, { type: 'Increment', by: 1 });
      expect(events.pagesRead - readsBefore).toBe(reads);
      expect(await store.version(id)).toBe(6);
    });

    it.each<HeldStateMode>(['optimistic', 'verified'])(
      '%s: commands on a state another process has moved on are decided on the current state',
      async (mode) => {
        const a = instance(mode);
        const b = instance(mode);
        const id = randomUUID();
        await a.run(id, { type: 'Increment', by: 1 });
        await a.run(id, { type: 'Reset', reason: 'a resets' });
        // a holds total 0 at version 2; b moves the counter to 5 at version 3.
        await b.run(id, { type: 'Increment', by: 5 });
        // A refusal on the held state (nothing to reset) is judged again on the store's state: it is accepted.
        await expect(a.run(id, { type: 'Reset', reason: 'a resets again' })).resolves.toMatchObject({ version: 4 });
        await b.run(id, { type: 'Increment', by: 2 });
        // A no-op reports the store's version, not the held one.
        await expect(a.run(id, { type: 'Noop' })).resolves.toMatchObject({ version: 5, events: [] });
        await b.run(id, { type: 'Increment', by: 3 });
        // If-Match names the store's version, which a holds no state for: not a 412.
        await expect(a.run(id, { type: 'Increment', by: 1 }, 6)).resolves.toMatchObject({ version: 7 });
        await b.run(id, { type: 'Increment', by: 4 });
        // A plain command on the stale state loses the conditional append and is decided again.
        await expect(a.run(id, { type: 'Increment', by: 10 })).resolves.toMatchObject({ version: 9, state: { total: 20 } });
        // A stale If-Match is still a 412.
        await expect(a.run(id, { type: 'Increment', by: 1 }, 8)).rejects.toBeInstanceOf(PreconditionFailedError);
        const replayed = await new CommandHandler(store, snapshots).load(counterDefinition(), id);
        expect(replayed).toEqual({ state: { total: 20, increments: 7 }, version: 9 });
      },
    );

    it('keeps concurrent writers of two processes contiguous, every command applied once', async () => {
      const processes = [instance('optimistic'), instance('optimistic')];
      const id = randomUUID();
      await processes[0]?.run(id, { type: 'Increment', by: 1 });
      await processes[1]?.handler.load(counterDefinition(), id);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, index) => processes[index % 2]?.run(id, { type: 'Increment', by: 1 })),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      const sequences = [];
      for await (const event of store.read(id)) sequences.push(event.sequence);
      expect(sequences).toEqual(Array.from({ length: 21 }, (_, index) => index + 1));
      expect((await new CommandHandler(store, snapshots).load(counterDefinition(), id)).state.total).toBe(21);
    });

    it('never holds the state of an aggregate that does not exist', async () => {
      const cache = new AggregateStateCache(100);
      const handler = new CommandHandler(store, snapshots, { states: { cache, mode: 'optimistic' } });
      await handler.load(counterDefinition(), randomUUID());
      await handler.handle(counterDefinition(), randomUUID(), { type: 'Noop' }, { metadata: metadata(), occurredAt: new Date() });
      expect(cache.size).toBe(0);
    });
  });
});
