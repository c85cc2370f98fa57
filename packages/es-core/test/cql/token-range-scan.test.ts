import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import {
  containsToken,
  MIN_TOKEN,
  rangeKey,
  splitRing,
  TokenRangeScanner,
  type RangeProgress,
  type ScannedPartition,
  type ScanTarget,
  type TokenRange,
} from '../../src/cql';
import { migratedKeyspace } from '../../src/testing';

/** Partition i holds rowsOf(i) rows: most hold a few, some span several pages. */
const PARTITIONS = 3_000;
const PAGE_SIZE = 50;
const rowsOf = (index: number): number => (index % 97 === 0 ? 3 * PAGE_SIZE + 7 : 1 + (index % 4));
const keyOf = (index: number): string => `p-${index}`;

interface Seen {
  readonly pk: string;
  readonly token: bigint;
  readonly clustering: readonly number[];
}

describe('the token-range scanner', () => {
  let client: Client;
  let keyspace: string;
  let drop: () => Promise<void>;
  let target: ScanTarget;

  beforeAll(async () => {
    ({ client, keyspace, drop } = await migratedKeyspace('scan'));
    await client.execute(`CREATE TABLE ${keyspace}.scanned (pk text, ck int, v text, PRIMARY KEY ((pk), ck))`);
    const insert = `INSERT INTO ${keyspace}.scanned (pk, ck, v) VALUES (?, ?, ?)`;
    const writes = Array.from({ length: PARTITIONS }, (_, index) => index).flatMap((index) =>
      Array.from({ length: rowsOf(index) }, (_, ck) => [keyOf(index), ck, randomUUID()] as const),
    );
    for (let from = 0; from < writes.length; from += 200) {
      await Promise.all(writes.slice(from, from + 200).map((params) => client.execute(insert, [...params], { prepare: true })));
    }
    target = { table: `${keyspace}.scanned`, partitionKey: ['pk'], columns: ['ck', 'v'] };
  }, 180_000);
  afterAll(() => drop());

  const seenOf = (partition: ScannedPartition): Seen => ({
    pk: partition.rows[0]?.get('pk') as string,
    token: partition.token,
    clustering: partition.rows.map((row) => row.get('ck') as number),
  });

  /** A scan that records what it handed over and reported; an abort through `stopAfter` ends it like a crash. */
  async function scanAll(
    ranges: readonly TokenRange[],
    options: { resumeFrom?: readonly RangeProgress[]; stopAfter?: number; partitionsConcurrently?: number } = {},
  ) {
    const seen: Seen[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const progress = new Map<string, RangeProgress>();
    const stop = new AbortController();
    await new TokenRangeScanner(client)
      .scan(target, {
        ranges,
        concurrency: 4,
        pageSize: PAGE_SIZE,
        signal: stop.signal,
        ...(options.resumeFrom ? { resumeFrom: options.resumeFrom } : {}),
        ...(options.partitionsConcurrently ? { partitionsConcurrently: options.partitionsConcurrently } : {}),
        onPartition: async (partition) => {
          inFlight += 1;
          mostInFlight = Math.max(mostInFlight, inFlight);
          // Handlers that finish out of order, as concurrent writes do.
          if (options.partitionsConcurrently) await new Promise((resolve) => setTimeout(resolve, partition.token % 3n === 0n ? 2 : 0));
          inFlight -= 1;
          // A partition still in flight when the scan stops fails, as it would in a crash: it was not handled.
          if (options.stopAfter !== undefined && seen.length >= options.stopAfter) {
            stop.abort();
            throw new Error('stopped before this partition was handled');
          }
          seen.push(seenOf(partition));
          if (seen.length === options.stopAfter) stop.abort();
        },
        onProgress: async (reported) => {
          progress.set(rangeKey(reported.range), reported);
        },
      })
      .catch((error: unknown) => {
        if (!stop.signal.aborted) throw error;
      });
    return { seen, progress: [...progress.values()], stopped: stop.signal.aborted, mostInFlight };
  }

  function expectEveryRowOnce(seen: readonly Seen[]) {
    const keys = seen.map((partition) => partition.pk);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(PARTITIONS);
    for (const partition of seen) {
      const index = Number(partition.pk.slice(2));
      expect(partition.clustering).toEqual(Array.from({ length: rowsOf(index) }, (_, ck) => ck));
    }
  }

  it('hands over every partition once, complete and in clustering order, across many ranges and pages', async () => {
    const ranges = splitRing(16);
    const { seen, progress } = await scanAll(ranges);
    expectEveryRowOnce(seen);
    expect(progress.filter((reported) => reported.done)).toHaveLength(16);
  });

  it.each([
    ['one partition at a time', undefined],
    ['the partitions of a page concurrently', 8],
  ])('resumes from mid-way progress without scanning again what was done (%s)', async (_, partitionsConcurrently) => {
    const ranges = splitRing(12);
    const first = await scanAll(ranges, { stopAfter: PARTITIONS / 2, ...(partitionsConcurrently ? { partitionsConcurrently } : {}) });
    if (partitionsConcurrently) expect(first.mostInFlight).toBeGreaterThan(1);
    else expect(first.mostInFlight).toBe(1);
    expect(first.stopped).toBe(true);
    const resumeFrom = first.progress;
    expect(resumeFrom.some((reported) => reported.done)).toBe(true);
    expect(resumeFrom.some((reported) => !reported.done && reported.lastToken !== undefined)).toBe(true);

    const second = await scanAll(ranges, { resumeFrom, ...(partitionsConcurrently ? { partitionsConcurrently } : {}) });
    const coveredBefore = (partition: Seen): boolean =>
      resumeFrom.some(
        (reported) =>
          containsToken(reported.range, partition.token) &&
          (reported.done || (reported.lastToken !== undefined && partition.token <= reported.lastToken)),
      );
    expect(second.seen.filter(coveredBefore)).toEqual([]);
    expectEveryRowOnce([...first.seen.filter(coveredBefore), ...second.seen]);
    expect(second.progress.every((reported) => reported.done)).toBe(true);
  });

  it('scans ranges that wrap past the minimum token', async () => {
    const origin = 1234567890123n;
    const ranges = splitRing(5, origin);
    expect(ranges.filter((range) => range.start >= range.end)).toHaveLength(1);
    expectEveryRowOnce((await scanAll(ranges)).seen);

    expectEveryRowOnce((await scanAll([{ start: origin, end: origin }])).seen);
    expectEveryRowOnce((await scanAll([{ start: MIN_TOKEN, end: MIN_TOKEN }])).seen);
  });

  it('resumes a wrapping range from either side of the minimum token', async () => {
    const range: TokenRange = { start: 0n, end: 0n };
    const { seen } = await scanAll([range]);
    const positive = seen.filter((partition) => partition.token > 0n).map((partition) => partition.token);
    const lastPositive = positive.reduce((max, token) => (token > max ? token : max), 0n);
    const afterTop = (await scanAll([range], { resumeFrom: [{ range, lastToken: lastPositive, done: false }] })).seen;
    expect(afterTop.length).toBe(seen.length - positive.length);
    const negative = seen.filter((partition) => partition.token < 0n).map((partition) => partition.token);
    const someNegative = negative.sort((a, b) => (a < b ? -1 : 1))[Math.floor(negative.length / 2)] as bigint;
    const afterNegative = (await scanAll([range], { resumeFrom: [{ range, lastToken: someNegative, done: false }] })).seen;
    expect(afterNegative.every((partition) => partition.token > someNegative && partition.token <= 0n)).toBe(true);
    expect(afterNegative.length).toBe(seen.filter((partition) => partition.token > someNegative && partition.token <= 0n).length);
  });
});
