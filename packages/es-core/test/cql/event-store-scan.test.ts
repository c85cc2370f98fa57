import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { CqlEventRows, CqlEventStore, scanEventRows, scanEventStore, splitRing, type ScannedEventRows, type ScannedStream } from '../../src/cql';
import { counterEvents, migratedKeyspace } from '../../src/testing';

const DAYS = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'].map((day) => new Date(`${day}T12:00:00Z`));

describe('scanning event_store', () => {
  let client: Client;
  let keyspace: string;
  let drop: () => Promise<void>;
  const streams = new Map<string, string>();

  beforeAll(async () => {
    ({ client, keyspace, drop } = await migratedKeyspace('evscan'));
    const store = new CqlEventStore(client, keyspace, () => counterEvents);
    const created = Array.from({ length: 90 }, (_, index) => ({ aggregateType: index % 3 === 0 ? 'Gauge' : 'Counter', aggregateId: randomUUID() }));
    await Promise.all(
      created.map(async (stream) => {
        streams.set(stream.aggregateId, stream.aggregateType);
        // One event per day, each a separate append: day d's event is sequence d + 1.
        for (const [day, occurredAt] of DAYS.entries()) {
          await store.append({
            stream,
            expectedVersion: day,
            events: [{ type: 'Incremented', data: { by: day + 1 } }],
            metadata: { correlationId: randomUUID() },
            topic: 'counters.events',
            occurredAt,
          });
        }
      }),
    );
  });
  afterAll(() => drop());

  async function scan(filter: Parameters<typeof scanEventStore>[3]['filter']): Promise<ScannedStream[]> {
    const scanned: ScannedStream[] = [];
    await scanEventStore(
      client,
      keyspace,
      (aggregateType) => {
        if (aggregateType !== 'Counter' && filter?.aggregateTypes) throw new Error(`asked about ${aggregateType}`);
        return counterEvents;
      },
      {
        ranges: splitRing(8),
        concurrency: 3,
        pageSize: 7,
        ...(filter ? { filter } : {}),
        onStream: async (stream) => {
          scanned.push(stream);
        },
      },
    );
    return scanned;
  }

  it('yields every stream with all its events in order and its head version', async () => {
    const scanned = await scan(undefined);
    expect(scanned).toHaveLength(streams.size);
    for (const stream of scanned) {
      expect(stream.aggregateType).toBe(streams.get(stream.aggregateId));
      expect(stream.version).toBe(4);
      expect(stream.events.map((event) => [event.sequence, event.type, event.data, event.aggregateId])).toEqual(
        [1, 2, 3, 4].map((sequence) => [sequence, 'Incremented', { by: sequence }, stream.aggregateId]),
      );
    }
  });

  it('keeps only the aggregate types and the occurrence times asked for, without lifting the others', async () => {
    const scanned = await scan({ aggregateTypes: ['Counter'], occurredFrom: DAYS[1], occurredBefore: DAYS[3] });
    const counters = [...streams].filter(([, type]) => type === 'Counter').map(([id]) => id);
    expect(scanned.map((stream) => stream.aggregateId).sort()).toEqual(counters.sort());
    for (const stream of scanned) {
      expect(stream.events.map((event) => [event.sequence, event.occurredAt])).toEqual([
        [2, DAYS[1]],
        [3, DAYS[2]],
      ]);
    }
  });

  it('yields the same streams as stored rows, token by token, for re-sending them as they were sent', async () => {
    const scanned: ScannedEventRows[] = [];
    await scanEventRows(client, keyspace, {
      ranges: splitRing(1),
      concurrency: 1,
      pageSize: 5,
      filter: { aggregateTypes: ['Gauge'], occurredFrom: DAYS[2] },
      onStream: async (stream) => {
        scanned.push(stream);
      },
    });
    const gauges = [...streams].filter(([, type]) => type === 'Gauge').map(([id]) => id);
    expect(scanned.map((stream) => stream.aggregateId).sort()).toEqual(gauges.sort());
    const tokens = scanned.map((stream) => stream.token);
    expect(tokens).toEqual([...tokens].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const rows = new CqlEventRows(client, keyspace);
    for (const stream of scanned) {
      const stored = [];
      for await (const row of rows.read(stream.aggregateId, { fromSequence: 3 })) stored.push(row);
      expect(stream.events).toEqual(stored);
    }
  });
});
