import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { createLogger, loadConfig } from '../src';
import { CqlEventStore } from '../src/cql';
import {
  CdcOperation,
  CdcReader,
  cdcReaderConfigShape,
  type CdcChange,
  type CdcChangeHandler,
  type CdcOperationCode,
  type CdcReaderConfig,
  cqlCdcSources,
  type CqlCdcSourcesOptions,
} from '../src/cdc';
import { counterEvents, eventually, migratedKeyspace, testEngines } from '../src/testing';

const logger = createLogger('cdc-reader-test', 'error');
const config: CdcReaderConfig = loadConfig(cdcReaderConfigShape, {
  CDC_WINDOW_MS: '2000',
  CDC_CONFIDENCE_WINDOW_MS: '1500',
  CDC_POLL_INTERVAL_MS: '200',
  CDC_LOOKBACK_MS: '60000',
  CDC_LEASE_TTL_SECONDS: '3',
  CDC_GENERATION_REFRESH_MS: '500',
});

interface Delivered {
  readonly aggregateId: string;
  readonly sequence: number;
  readonly generation: number;
}

describe('the CDC reader', () => {
  let client: Client;
  let keyspace: string;
  let drop: () => Promise<void>;
  let store: CqlEventStore;

  beforeAll(async () => {
    ({ client, keyspace, drop } = await migratedKeyspace('cdcreader'));
    store = new CqlEventStore(client, keyspace, () => counterEvents);
  });
  afterAll(() => drop());

  const appendEvents = async (aggregateId: string, from: number, count: number) => {
    await store.append({
      stream: { aggregateType: 'Counter', aggregateId },
      expectedVersion: from,
      events: Array.from({ length: count }, () => ({ type: 'Incremented', data: { by: 1 } })),
      metadata: { correlationId: randomUUID() },
      topic: 'counters.events',
      occurredAt: new Date(),
    });
  };

  /** A started reader of this suite's event_store. */
  const runningReader = (consumer: string, handler: CdcChangeHandler, options: Pick<CqlCdcSourcesOptions, 'instanceId' | 'operation'> = {}) => {
    const sources = cqlCdcSources({ client, keyspace, baseTable: 'event_store', consumer, config, ...options });
    const reader = new CdcReader({ sources, consumer, config, logger, handler });
    reader.start();
    return reader;
  };

  /** Every consumer starts a minute back, so it also sees the other tests' events: keep only this test's. */
  const startReader = (consumer: string, delivered: Delivered[], aggregates: readonly string[], instanceId?: string) => {
    const wanted = new Set(aggregates);
    return runningReader(
      consumer,
      async (changes: readonly CdcChange[], window) => {
        for (const change of changes) {
          const sequence = change.columns.integer('sequence');
          const aggregateId = change.columns.text('aggregate_id') ?? '';
          if (change.operation !== CdcOperation.rowInsert || sequence === null || !wanted.has(aggregateId)) continue;
          delivered.push({
            aggregateId,
            sequence,
            generation: window.generation.getTime(),
          });
        }
      },
      instanceId ? { instanceId } : {},
    );
  };

  const expectAllInOrder = (delivered: readonly Delivered[], expected: Map<string, number>) => {
    for (const [aggregateId, count] of expected) {
      const sequences = delivered.filter((item) => item.aggregateId === aggregateId).map((item) => item.sequence);
      const firstSeen = sequences.filter((sequence, index) => sequences.indexOf(sequence) === index);
      expect(firstSeen).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    }
  };

  it('delivers every appended event once, in sequence order per aggregate, and checkpoints', async () => {
    const aggregates = Array.from({ length: 8 }, () => randomUUID());
    for (const aggregateId of aggregates) await appendEvents(aggregateId, 0, 3);
    const delivered: Delivered[] = [];
    const reader = startReader('exactly-once', delivered, aggregates);
    for (const aggregateId of aggregates) await appendEvents(aggregateId, 3, 2);

    await eventually(() => expect(delivered.length).toBeGreaterThanOrEqual(40), 30_000);
    await reader.stop();
    expect(delivered).toHaveLength(40);
    expectAllInOrder(delivered, new Map(aggregates.map((id) => [id, 5])));
    const status = reader.status();
    expect(status.groups.every((group) => group.checkpoint !== null)).toBe(true);
  });

  it('leaves other operations in the database when asked for one (a relay of inserts reads no head updates)', async () => {
    const aggregates = Array.from({ length: 4 }, () => randomUUID());
    for (const aggregateId of aggregates) await appendEvents(aggregateId, 0, 2);
    const wanted = new Set<string>(aggregates);
    const operationsSeen = async (consumer: string, operation?: CdcOperationCode) => {
      const seen: number[] = [];
      const reader = runningReader(
        consumer,
        async (changes) => {
          for (const change of changes) if (wanted.has(change.columns.text('aggregate_id') ?? '')) seen.push(change.operation);
        },
        operation === undefined ? {} : { operation },
      );
      await eventually(() => expect(seen.filter((op) => op === CdcOperation.rowInsert)).toHaveLength(8), 30_000);
      await reader.stop();
      return seen;
    };
    // Each append is one head update (the static version) and one insert per event.
    expect((await operationsSeen('every-operation')).sort()).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
    expect(await operationsSeen('inserts-only', CdcOperation.rowInsert)).toEqual(Array(8).fill(CdcOperation.rowInsert));
  });

  it('resumes from its checkpoints after a restart without losing an event', async () => {
    const consumer = 'restart';
    const delivered: Delivered[] = [];
    const aggregates = Array.from({ length: 5 }, () => randomUUID());
    const first = startReader(consumer, delivered, aggregates);
    for (const aggregateId of aggregates) await appendEvents(aggregateId, 0, 2);
    await eventually(() => expect(delivered.length).toBeGreaterThanOrEqual(10), 30_000);
    await first.stop();

    for (const aggregateId of aggregates) await appendEvents(aggregateId, 2, 2);
    const second = startReader(consumer, delivered, aggregates);
    await eventually(() => expect(new Set(delivered.map((d) => `${d.aggregateId}:${d.sequence}`)).size).toBe(20), 30_000);
    await second.stop();
    expectAllInOrder(delivered, new Map(aggregates.map((id) => [id, 4])));
  });

  it('finishes the old generation before reading the new one, losing and reordering nothing', async () => {
    const delivered: Delivered[] = [];
    const aggregates = Array.from({ length: 6 }, () => randomUUID());
    const reader = startReader('generations', delivered, aggregates);
    const switchAt = await testEngines().requestCdcGeneration(2);
    const versions = new Map(aggregates.map((id) => [id, 0]));
    while (Date.now() < switchAt.getTime() + 2_000) {
      for (const aggregateId of aggregates) {
        await appendEvents(aggregateId, versions.get(aggregateId)!, 1);
        versions.set(aggregateId, versions.get(aggregateId)! + 1);
      }
    }
    const total = [...versions.values()].reduce((sum, count) => sum + count, 0);
    await eventually(() => expect(delivered.length).toBeGreaterThanOrEqual(total), 40_000);
    await reader.stop();
    expect(delivered).toHaveLength(total);
    expectAllInOrder(delivered, versions);
    const generations = delivered.map((item) => item.generation);
    // Events before the switch came from the old generation's streams, and every old one was delivered first.
    expect(new Set(generations).size).toBeGreaterThanOrEqual(2);
    expect([...generations].sort((a, b) => a - b)).toEqual(generations);
  });

  it('shares stream groups between instances and takes over those of a stopped instance', async () => {
    const consumer = 'scale-out';
    const delivered: Delivered[] = [];
    const aggregates = Array.from({ length: 10 }, () => randomUUID());
    const first = startReader(consumer, delivered, aggregates, 'instance-a');
    const second = startReader(consumer, delivered, aggregates, 'instance-b');
    for (const aggregateId of aggregates) await appendEvents(aggregateId, 0, 2);
    await eventually(() => {
      const owners = new Set(first.status().groups.map((group) => group.owner));
      expect(owners).toEqual(new Set(['instance-a', 'instance-b']));
    }, 20_000);
    await eventually(() => expect(delivered.length).toBeGreaterThanOrEqual(20), 30_000);

    await second.stop();
    for (const aggregateId of aggregates) await appendEvents(aggregateId, 2, 2);
    await eventually(() => {
      expect(new Set(first.status().groups.map((group) => group.owner))).toEqual(new Set(['instance-a']));
      expect(new Set(delivered.map((d) => `${d.aggregateId}:${d.sequence}`)).size).toBe(40);
    }, 40_000);
    await first.stop();
    expectAllInOrder(delivered, new Map(aggregates.map((id) => [id, 4])));
  });
  it('warns when a checkpoint is older than the log TTL, since changes may have expired unread', async () => {
    const warnings: string[] = [];
    const watchedLogger = createLogger('cdc-reader-test', 'error');
    jest.spyOn(watchedLogger, 'warn').mockImplementation(((message: string) => {
      warnings.push(message);
      return watchedLogger;
    }) as typeof watchedLogger.warn);
    // A one-second TTL: starting a minute back puts every group past it.
    const expiringConfig = { ...config, CDC_LOG_TTL_SECONDS: 1 };
    const reader = new CdcReader({
      sources: cqlCdcSources({ client, keyspace, baseTable: 'event_store', consumer: 'expired', config: expiringConfig }),
      consumer: 'expired',
      config: expiringConfig,
      logger: watchedLogger,
      handler: async () => undefined,
    });
    reader.start();
    await eventually(() => expect(warnings).toContain('CDC checkpoint is older than the log TTL: changes may have expired unread'), 20_000);
    await reader.stop();
  });
});
