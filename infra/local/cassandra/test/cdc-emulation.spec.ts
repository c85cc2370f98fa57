/**
 * Conformance of the local CDC emulation with ScyllaDB's documented CDC log (docs/cdc.md).
 *
 * Needs the engine running (`./ctl.sh start`); only the restart tests stop and start it, through ctl.sh.
 * As on ScyllaDB, a read of a log table sees the log rows of every write acknowledged before it: expectations
 * read once, right after the writes, and never poll.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Client, types } from 'cassandra-driver';

const CQL_PORT = Number(process.env.CASSANDRA_PORT ?? 9042);
const ADMIN_PORT = Number(process.env.CDC_ADMIN_PORT ?? 9180);
const METADATA_KEYSPACE = process.env.CDC_METADATA_KEYSPACE ?? 'system_distributed';
const KS = 'cdc_conformance';
const CTL = path.resolve(__dirname, '..', 'ctl.sh');

const op = {
  update: 1,
  insert: 2,
  rowDelete: 3,
  partitionDelete: 4,
  rangeStartInclusive: 5,
  rangeStartExclusive: 6,
  rangeEndInclusive: 7,
  rangeEndExclusive: 8,
  postImage: 9,
} as const;

type LogRow = types.Row & Record<string, any>;

let client: Client;

function newClient(): Client {
  return new Client({
    contactPoints: [`127.0.0.1:${CQL_PORT}`],
    localDataCenter: 'datacenter1',
    // Single node: ONE, as ScyllaDB's libraries read metadata on a one-node cluster (system_distributed has RF 3).
    queryOptions: { consistency: types.consistencies.one, prepare: true },
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Microseconds since the epoch in a timeuuid (docs/cdc.md). */
function micros(time: types.TimeUuid): bigint {
  const b = time.getBuffer();
  const uuidTime = (BigInt(b.readUInt16BE(6) & 0x0fff) << 48n) | (BigInt(b.readUInt16BE(4)) << 32n) | BigInt(b.readUInt32BE(0));
  return (uuidTime - 0x01b21dd213814000n) / 10n;
}

/** ScyllaDB's cdc$time order: time first, then the low 8 bytes as signed bytes; then batch_seq_no. */
function logOrder(a: LogRow, b: LogRow): number {
  const byTime = micros(a['cdc$time']) - micros(b['cdc$time']);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  const la = a['cdc$time'].getBuffer();
  const lb = b['cdc$time'].getBuffer();
  for (let i = 8; i < 16; i++) {
    const d = la.readInt8(i) - lb.readInt8(i);
    if (d !== 0) return d;
  }
  return a['cdc$batch_seq_no'] - b['cdc$batch_seq_no'];
}

/** All log rows of one base partition key, in log order (a full scan: test tables are small). */
async function logRows(table: string, pk: string): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  for await (const row of await client.execute(`SELECT * FROM ${KS}.${table}_scylla_cdc_log`)) {
    if (row.pk === pk) rows.push(row as LogRow);
  }
  return rows.sort(logOrder);
}

/** The log rows of a key, which must be at least {@code count}: read once, as read-your-writes allows. */
async function readLogRows(table: string, pk: string, count: number): Promise<LogRow[]> {
  const rows = await logRows(table, pk);
  expect(rows.length).toBeGreaterThanOrEqual(count);
  return rows;
}

function ops(rows: LogRow[]): number[] {
  return rows.map((row) => row['cdc$operation']);
}

async function admin(method: string, pathAndQuery: string): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${ADMIN_PORT}${pathAndQuery}`, { method });
  if (!response.ok) throw new Error(`${method} ${pathAndQuery}: HTTP ${response.status}`);
  return response.json();
}

interface Generation {
  time: Date;
  ranges: { end: bigint; streams: Buffer[] }[];
}

/** Generations read with ScyllaDB's own queries: timestamps first, then each one's streams (docs/cdc.md). */
async function generations(): Promise<Generation[]> {
  const times = await client.execute(
    `SELECT time FROM ${METADATA_KEYSPACE}.cdc_generation_timestamps WHERE key = 'timestamps'`);
  const result: Generation[] = [];
  for (const { time } of times.rows) {
    const ranges = await client.execute(
      `SELECT range_end, streams FROM ${METADATA_KEYSPACE}.cdc_streams_descriptions_v2 WHERE time = ?`, [time]);
    result.push({
      time,
      ranges: ranges.rows
        .map((row) => ({ end: BigInt(row.range_end.toString()), streams: row.streams as Buffer[] }))
        .sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : 0)),
    });
  }
  return result.sort((a, b) => a.time.getTime() - b.time.getTime());
}

function generationAt(all: Generation[], writeMicros: bigint): Generation {
  const inForce = all.filter((g) => BigInt(g.time.getTime()) * 1000n <= writeMicros);
  return inForce.length ? inForce[inForce.length - 1] : all[0];
}

/** The first range whose end is >= the token, wrapping to the first range (docs/cdc.md). */
function rangeOf(generation: Generation, token: bigint): number {
  const index = generation.ranges.findIndex((range) => range.end >= token);
  return index >= 0 ? index : 0;
}

async function tokenOf(table: string, pk: string): Promise<bigint> {
  const result = await client.execute(`SELECT token(pk) AS t FROM ${KS}.${table} WHERE pk = ?`, [pk]);
  return BigInt(result.rows[0].t.toString());
}

async function writetime(table: string, pk: string, ck: number, column: string): Promise<bigint> {
  const result = await client.execute(`SELECT writetime(${column}) AS w FROM ${KS}.${table} WHERE pk = ? AND ck = ?`, [pk, ck]);
  return BigInt(result.rows[0].w.toString());
}

function ctl(command: string): void {
  execFileSync(CTL, [command], { stdio: 'inherit', env: process.env });
}

beforeAll(async () => {
  client = newClient();
  await client.connect();
  await client.execute(`DROP KEYSPACE IF EXISTS ${KS}`);
  await client.execute(`CREATE KEYSPACE ${KS} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  await client.execute(`CREATE TABLE ${KS}.events (pk text, ck int, v text, n int, s text static, tags set<text>,
      attrs map<text, int>, items list<int>, PRIMARY KEY (pk, ck))
      WITH cdc = true AND comment = 'scylla_cdc={"enabled":"true"}'`);
  await client.execute(`CREATE TABLE ${KS}.images (pk text, ck int, v text, n int, PRIMARY KEY (pk, ck))
      WITH cdc = true AND comment = 'scylla_cdc={"enabled":"true","postimage":"true","ttl":"600"}'`);
  await client.execute(`CREATE TABLE ${KS}.other (pk text PRIMARY KEY, v text) WITH cdc = true`);
  await client.execute(`CREATE TABLE ${KS}.plain (pk text PRIMARY KEY, v text)`);
});

afterAll(async () => {
  await client?.shutdown();
});

describe('log table', () => {
  test('is created with the base table, in ScyllaDB layout', async () => {
    // ScyllaDB creates it atomically with the base table: it must exist as soon as CREATE TABLE returned.
    const columns = await client.execute(
      `SELECT column_name, kind, type, clustering_order, position FROM system_schema.columns
       WHERE keyspace_name = ? AND table_name = ?`, [KS, 'events_scylla_cdc_log']);
    const byName = Object.fromEntries(columns.rows.map((row) => [row.column_name, row]));
    expect(byName['cdc$stream_id']).toMatchObject({ kind: 'partition_key', type: 'blob' });
    expect(byName['cdc$time']).toMatchObject({ kind: 'clustering', type: 'timeuuid', clustering_order: 'asc', position: 0 });
    expect(byName['cdc$batch_seq_no']).toMatchObject({ kind: 'clustering', type: 'int', clustering_order: 'asc', position: 1 });
    expect(byName['cdc$end_of_batch']).toMatchObject({ kind: 'regular', type: 'boolean' });
    expect(byName['cdc$operation']).toMatchObject({ kind: 'regular', type: 'tinyint' });
    expect(byName['cdc$ttl']).toMatchObject({ kind: 'regular', type: 'bigint' });
    expect(byName.pk).toMatchObject({ kind: 'regular', type: 'text' });
    expect(byName.ck).toMatchObject({ kind: 'regular', type: 'int' });
    expect(byName.s).toMatchObject({ kind: 'regular', type: 'text' });
    expect(byName['cdc$deleted_v']).toMatchObject({ type: 'boolean' });
    expect(byName.tags).toMatchObject({ type: 'frozen<set<text>>' });
    expect(byName['cdc$deleted_elements_tags']).toMatchObject({ type: 'frozen<set<text>>' });
    expect(byName.attrs).toMatchObject({ type: 'frozen<map<text, int>>' });
    expect(byName['cdc$deleted_elements_attrs']).toMatchObject({ type: 'frozen<set<text>>' });
    expect(byName.items).toMatchObject({ type: 'frozen<map<timeuuid, int>>' });
    expect(byName['cdc$deleted_elements_items']).toMatchObject({ type: 'frozen<set<timeuuid>>' });
    expect(byName['cdc$deleted_v']).toBeDefined();
    expect(byName['cdc$deleted_elements_v']).toBeUndefined();
    expect(byName['cdc$deleted_pk']).toBeUndefined();
    const plain = await client.execute(
      'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?', [KS, 'plain_scylla_cdc_log']);
    expect(plain.rowLength).toBe(0);
  });

  test('follows ALTER TABLE ADD on the base table', async () => {
    await client.execute(`CREATE TABLE ${KS}.altered (pk text PRIMARY KEY, v text) WITH cdc = true`);
    await client.execute(`ALTER TABLE ${KS}.altered ADD w int`);
    const columns = await client.execute(
      'SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [KS, 'altered_scylla_cdc_log']);
    expect(columns.rows.map((row) => row.column_name)).toEqual(expect.arrayContaining(['w', 'cdc$deleted_w']));
  });
});

describe('delta rows', () => {
  test('insert: operation 2, values, cdc$time = write timestamp, one complete group', async () => {
    const pk = randomUUID();
    await client.execute(`INSERT INTO ${KS}.events (pk, ck, v, n) VALUES (?, 1, 'a', 5)`, [pk]);
    const [row] = await readLogRows('events', pk, 1);
    expect(row).toMatchObject({
      'cdc$operation': op.insert, 'cdc$batch_seq_no': 0, 'cdc$end_of_batch': true, 'cdc$ttl': null,
      pk, ck: 1, v: 'a', n: 5, s: null, 'cdc$deleted_v': null, 'cdc$deleted_n': null,
    });
    expect(row['cdc$stream_id']).toHaveLength(16);
    expect(micros(row['cdc$time'])).toBe(await writetime('events', pk, 1, 'v'));
    expect(ops(await logRows('events', pk))).toEqual([op.insert]);
  });

  test('update: operation 1 with only the written columns', async () => {
    const pk = randomUUID();
    await client.execute(`UPDATE ${KS}.events SET v = 'b' WHERE pk = ? AND ck = 1`, [pk]);
    const [row] = await readLogRows('events', pk, 1);
    expect(row).toMatchObject({ 'cdc$operation': op.update, v: 'b', n: null, ck: 1, 'cdc$end_of_batch': true });
  });

  test('column set to null: cdc$deleted_<col> is true', async () => {
    const pk = randomUUID();
    await client.execute(`UPDATE ${KS}.events SET v = null, n = 3 WHERE pk = ? AND ck = 1`, [pk]);
    const [row] = await readLogRows('events', pk, 1);
    expect(row).toMatchObject({ 'cdc$operation': op.update, v: null, 'cdc$deleted_v': true, n: 3, 'cdc$deleted_n': null });
  });

  test('static column update: operation 1 without clustering key', async () => {
    const pk = randomUUID();
    await client.execute(`UPDATE ${KS}.events SET s = 'st' WHERE pk = ?`, [pk]);
    const [row] = await readLogRows('events', pk, 1);
    expect(row).toMatchObject({ 'cdc$operation': op.update, s: 'st', ck: null });
  });

  test('row delete: operation 3', async () => {
    const pk = randomUUID();
    await client.execute(`DELETE FROM ${KS}.events WHERE pk = ? AND ck = 7`, [pk]);
    const [row] = await readLogRows('events', pk, 1);
    expect(row).toMatchObject({ 'cdc$operation': op.rowDelete, pk, ck: 7, v: null, 'cdc$end_of_batch': true });
  });

  test('partition delete: operation 4', async () => {
    const pk = randomUUID();
    await client.execute(`DELETE FROM ${KS}.events WHERE pk = ?`, [pk]);
    const [row] = await readLogRows('events', pk, 1);
    expect(row).toMatchObject({ 'cdc$operation': op.partitionDelete, pk, ck: null, 'cdc$end_of_batch': true });
  });

  test('range deletes: start/end bounds, inclusive and exclusive (operations 5-8)', async () => {
    const pk = randomUUID();
    await client.execute(`DELETE FROM ${KS}.events WHERE pk = ? AND ck > 1 AND ck <= 5`, [pk]);
    await client.execute(`DELETE FROM ${KS}.events WHERE pk = ? AND ck >= 10 AND ck < 20`, [pk]);
    const rows = await readLogRows('events', pk, 4);
    expect(rows.map((row) => [row['cdc$operation'], row.ck, row['cdc$batch_seq_no'], row['cdc$end_of_batch']])).toEqual([
      [op.rangeStartExclusive, 1, 0, null],
      [op.rangeEndInclusive, 5, 1, true],
      [op.rangeStartInclusive, 10, 0, null],
      [op.rangeEndExclusive, 20, 1, true],
    ]);
    expect(rows[0]['cdc$time'].toString()).toBe(rows[1]['cdc$time'].toString());
  });

  test('TTL write: cdc$ttl', async () => {
    const pk = randomUUID();
    await client.execute(`INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 1, 't') USING TTL 1000`, [pk]);
    const [row] = await readLogRows('events', pk, 1);
    expect(row['cdc$operation']).toBe(op.insert);
    expect(Number(row['cdc$ttl'])).toBe(1000);
  });

  test('non-frozen collections: added elements, removed elements, overwrite', async () => {
    const pk = randomUUID();
    await client.execute(`INSERT INTO ${KS}.events (pk, ck, tags, items) VALUES (?, 1, {'x'}, [7])`, [pk]);
    await client.execute(`UPDATE ${KS}.events SET tags = tags + {'a', 'b'}, attrs = attrs - {'k'} WHERE pk = ? AND ck = 1`, [pk]);
    const [insert, update] = await readLogRows('events', pk, 2);
    // Writing a whole collection replaces it: ScyllaDB logs the deletion and the new elements in one row.
    expect(insert).toMatchObject({ 'cdc$operation': op.insert, tags: ['x'], 'cdc$deleted_tags': true, 'cdc$deleted_items': true });
    expect(Object.values(insert.items)).toEqual([7]);
    expect(update).toMatchObject({
      'cdc$operation': op.update, tags: ['a', 'b'], 'cdc$deleted_tags': null,
      attrs: null, 'cdc$deleted_elements_attrs': ['k'],
    });
  });

  test('log cells carry the CDC TTL (default 86400 s, or the table option)', async () => {
    const pk = randomUUID();
    await client.execute(`INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 1, 'a')`, [pk]);
    await client.execute(`INSERT INTO ${KS}.images (pk, ck, v) VALUES (?, 1, 'a')`, [pk]);
    await readLogRows('events', pk, 1);
    await readLogRows('images', pk, 2);
    const ttl = async (table: string) => {
      const ttls: number[] = [];
      for await (const row of await client.execute(`SELECT pk, TTL("cdc$operation") AS t FROM ${KS}.${table}_scylla_cdc_log`)) {
        if (row.pk === pk) ttls.push(row.t);
      }
      return ttls;
    };
    for (const t of await ttl('events')) expect(t).toBeGreaterThan(86000);
    for (const t of await ttl('images')) expect(t).toBeLessThanOrEqual(600);
  });
});

describe('groups, batches and LWT', () => {
  test('several rows of one partition at one timestamp: batch_seq_no 0..n, end_of_batch only on the last', async () => {
    const pk = randomUUID();
    await client.batch([
      { query: `INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 1, 'a')`, params: [pk] },
      { query: `INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 2, 'b')`, params: [pk] },
      { query: `INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 3, 'c')`, params: [pk] },
    ], { prepare: true });
    const rows = await readLogRows('events', pk, 3);
    expect(rows.map((row) => row['cdc$batch_seq_no'])).toEqual([0, 1, 2]);
    expect(rows.map((row) => row['cdc$end_of_batch'])).toEqual([null, null, true]);
    expect(new Set(rows.map((row) => row['cdc$time'].toString())).size).toBe(1);
    expect(new Set(rows.map((row) => row['cdc$stream_id'].toString('hex'))).size).toBe(1);
    expect(rows.map((row) => row.ck)).toEqual([1, 2, 3]);
  });

  test('a logged batch across two CDC tables logs in both', async () => {
    const pk = randomUUID();
    await client.batch([
      { query: `INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 1, 'e')`, params: [pk] },
      { query: `INSERT INTO ${KS}.other (pk, v) VALUES (?, 'o')`, params: [pk] },
    ], { prepare: true, logged: true });
    const [event] = await readLogRows('events', pk, 1);
    const [other] = await readLogRows('other', pk, 1);
    expect(event).toMatchObject({ 'cdc$operation': op.insert, v: 'e', 'cdc$end_of_batch': true });
    expect(other).toMatchObject({ 'cdc$operation': op.insert, v: 'o', 'cdc$end_of_batch': true });
    expect(micros(event['cdc$time'])).toBe(micros(other['cdc$time']));
  });

  test('a successful conditional batch is logged; a failed one logs nothing', async () => {
    const pk = randomUUID();
    const batch = [
      { query: `INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 1, 'x') IF NOT EXISTS`, params: [pk] },
      { query: `INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 2, 'y') IF NOT EXISTS`, params: [pk] },
    ];
    const applied = await client.batch(batch, { prepare: true, serialConsistency: types.consistencies.localSerial });
    expect(applied.wasApplied()).toBe(true);
    const rows = await readLogRows('events', pk, 2);
    expect(rows.map((row) => [row['cdc$operation'], row.ck, row['cdc$batch_seq_no'], row['cdc$end_of_batch']])).toEqual([
      [op.insert, 1, 0, null],
      [op.insert, 2, 1, true],
    ]);

    const rejected = await client.batch(batch, { prepare: true, serialConsistency: types.consistencies.localSerial });
    expect(rejected.wasApplied()).toBe(false);
    const conditional = await client.execute(`UPDATE ${KS}.events SET v = 'z' WHERE pk = ? AND ck = 1 IF v = 'nope'`, [pk]);
    expect(conditional.wasApplied()).toBe(false);
    expect(await logRows('events', pk)).toHaveLength(2);
  });
});

describe('post-images', () => {
  test('written after the delta rows only when the table asks for them', async () => {
    const pk = randomUUID();
    await client.execute(`INSERT INTO ${KS}.images (pk, ck, v, n) VALUES (?, 1, 'a', 1)`, [pk]);
    const first = await readLogRows('images', pk, 2);
    await client.execute(`UPDATE ${KS}.images SET v = 'b' WHERE pk = ? AND ck = 1`, [pk]);
    const rows = await readLogRows('images', pk, 4);
    expect(first.map((row) => row['cdc$operation'])).toEqual([op.insert, op.postImage]);
    expect(rows.map((row) => [row['cdc$operation'], row['cdc$batch_seq_no'], row['cdc$end_of_batch'], row.v, row.n])).toEqual([
      [op.insert, 0, null, 'a', 1],
      [op.postImage, 1, true, 'a', 1],
      [op.update, 0, null, 'b', null],
      [op.postImage, 1, true, 'b', 1],
    ]);
    expect(rows[2]['cdc$time'].toString()).toBe(rows[3]['cdc$time'].toString());

    const plainPk = randomUUID();
    await client.execute(`INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, 1, 'a')`, [plainPk]);
    expect(ops(await readLogRows('events', plainPk, 1))).toEqual([op.insert]);
    expect(ops(await logRows('events', plainPk))).toEqual([op.insert]);
  });
});

describe('streams and generations', () => {
  test('generations are readable with ScyllaDB\'s queries, in ScyllaDB\'s stream format', async () => {
    const peers = await client.execute('SELECT peer FROM system.peers');
    expect(peers.rowLength).toBe(0); // one node: consistency ONE is the right one
    const all = await generations();
    expect(all.length).toBeGreaterThanOrEqual(1);
    const ring = (await client.execute('SELECT tokens FROM system.local')).first().tokens as string[];
    for (const generation of all) {
      expect(generation.ranges.length).toBe(ring.length); // one range per vnode (CASSANDRA_NUM_TOKENS)
      generation.ranges.forEach((range, vnode) => {
        expect(range.streams).toHaveLength(Number(process.env.CDC_SHARDS ?? 2)); // emulated shards
        for (const stream of range.streams) {
          expect(stream).toHaveLength(16);
          const low = stream.readBigUInt64BE(8);
          expect(low & 0xfn).toBe(1n); // version
          expect(Number((low >> 4n) & 0x3fffffn)).toBe(vnode); // vnode index
          // The token in the high 8 bytes lies in the stream's vnode range (wrapping for the first range).
          const token = stream.readBigInt64BE(0);
          const previous = generation.ranges[(vnode + generation.ranges.length - 1) % generation.ranges.length].end;
          if (vnode === 0) expect(token > previous || token <= range.end).toBe(true);
          else expect(token > previous && token <= range.end).toBe(true);
        }
      });
    }
    const listed = await admin('GET', '/generations');
    expect(listed.generations.map((g: { time: number }) => g.time)).toEqual(all.map((g) => g.time.getTime()));
  });

  test('a row\'s stream is the stream of the vnode range owning its partition\'s token', async () => {
    const keys = Array.from({ length: 20 }, () => randomUUID());
    for (const pk of keys) await client.execute(`INSERT INTO ${KS}.other (pk, v) VALUES (?, 'a')`, [pk]);
    const all = await generations();
    for (const pk of keys) {
      const [row] = await readLogRows('other', pk, 1);
      const generation = generationAt(all, micros(row['cdc$time']));
      const range = generation.ranges[rangeOf(generation, await tokenOf('other', pk))];
      expect(range.streams.map((s) => s.toString('hex'))).toContain(row['cdc$stream_id'].toString('hex'));
    }
  });

  test('the log is read with ScyllaDB\'s per-stream window query', async () => {
    const pk = randomUUID();
    await client.execute(`INSERT INTO ${KS}.other (pk, v) VALUES (?, 'w')`, [pk]);
    const [row] = await readLogRows('other', pk, 1);
    const result = await client.execute(
      `SELECT * FROM ${KS}.other_scylla_cdc_log
       WHERE "cdc$stream_id" = ? AND "cdc$time" > minTimeuuid(?) AND "cdc$time" <= maxTimeuuid(?)`,
      [row['cdc$stream_id'], new Date(Date.now() - 60_000), new Date(Date.now() + 1_000)]);
    expect(result.rows.map((r) => r.pk)).toContain(pk);
  });

  test('a requested generation switch: writes from its timestamp on use its streams', async () => {
    const { time } = await admin('POST', '/generations?delaySeconds=2');
    const switchAt = BigInt(time) * 1000n;
    const all = await until('the new generation in cdc_generation_timestamps', async () => {
      const found = await generations();
      return found.some((g) => g.time.getTime() === time) ? found : undefined;
    });
    const next = all.find((g) => g.time.getTime() === time)!;
    const previous = all[all.indexOf(next) - 1];
    const streamsOf = (g: Generation) => new Set(g.ranges.flatMap((r) => r.streams.map((s) => s.toString('hex'))));

    // The generation is chosen by the write's timestamp, as in ScyllaDB.
    const before = randomUUID();
    const after = randomUUID();
    await client.execute(`INSERT INTO ${KS}.other (pk, v) VALUES (?, 'before') USING TIMESTAMP ?`,
      [before, types.Long.fromString((switchAt - 1000n).toString())]);
    await client.execute(`INSERT INTO ${KS}.other (pk, v) VALUES (?, 'after') USING TIMESTAMP ?`,
      [after, types.Long.fromString((switchAt + 1000n).toString())]);
    const [beforeRow] = await readLogRows('other', before, 1);
    const [afterRow] = await readLogRows('other', after, 1);
    expect(streamsOf(previous).has(beforeRow['cdc$stream_id'].toString('hex'))).toBe(true);
    expect(streamsOf(next).has(afterRow['cdc$stream_id'].toString('hex'))).toBe(true);

    // And with the server's own clock, once the switch time has passed.
    await until('the switch time', async () => (Date.now() > time + 50 ? true : undefined), 10_000);
    const live = randomUUID();
    await client.execute(`INSERT INTO ${KS}.other (pk, v) VALUES (?, 'live')`, [live]);
    const [liveRow] = await readLogRows('other', live, 1);
    expect(micros(liveRow['cdc$time']) >= switchAt).toBe(true);
    expect(streamsOf(next).has(liveRow['cdc$stream_id'].toString('hex'))).toBe(true);

    // Every row in the old generation's streams is older than the switch.
    for (const stream of previous.ranges.flatMap((r) => r.streams)) {
      const late = await client.execute(
        `SELECT "cdc$time" FROM ${KS}.other_scylla_cdc_log WHERE "cdc$stream_id" = ? AND "cdc$time" >= minTimeuuid(?)`,
        [stream, new Date(time)]);
      expect(late.rowLength).toBe(0);
    }
  });
});

describe('read-your-writes', () => {
  test('a log read issued right after an acknowledged write contains its log row, plain or conditional', async () => {
    await client.execute(`CREATE TABLE IF NOT EXISTS ${KS}.ryw (pk text PRIMARY KEY, v int) WITH cdc = true`);
    const missing: string[] = [];
    // Several writers at once, so log reads arrive while the emulator is busy with other writes.
    await Promise.all(Array.from({ length: 8 }, async (_, writer) => {
      for (let i = 0; i < 40; i++) {
        const pk = `${writer}-${i}-${randomUUID()}`;
        const conditional = i % 2 === 1;
        await client.execute(`INSERT INTO ${KS}.ryw (pk, v) VALUES (?, ?)${conditional ? ' IF NOT EXISTS' : ''}`, [pk, i]);
        const stream = await client.execute(
          `SELECT "cdc$stream_id" FROM ${KS}.ryw_scylla_cdc_log WHERE pk = ? ALLOW FILTERING`, [pk]);
        if (stream.rowLength !== 1) missing.push(`${pk}${conditional ? ' (IF NOT EXISTS)' : ''}`);
      }
    }));
    expect(missing).toEqual([]);
  });
});

describe('restarts', () => {
  const restartDeadline = 240_000;

  async function restart(how: 'stop' | 'kill'): Promise<void> {
    await client.shutdown();
    ctl(how);
    ctl('start');
    client = newClient();
    await client.connect();
  }

  /** Every base row has exactly one log row (keyed by ck), and no log row lacks its base row. */
  async function expectOneLogRowPerBaseRow(pk: string): Promise<number[]> {
    const base = await client.execute(`SELECT ck FROM ${KS}.events WHERE pk = ?`, [pk]);
    const cks = base.rows.map((row) => row.ck as number).sort((a, b) => a - b);
    const rows = await logRows('events', pk);
    expect(rows.map((row) => row.ck as number).sort((a, b) => a - b)).toEqual(cks);
    const keys = new Set(rows.map((row) => `${row['cdc$stream_id'].toString('hex')}/${row['cdc$time']}/${row['cdc$batch_seq_no']}`));
    expect(keys.size).toBe(rows.length);
    return cks;
  }

  test('a clean stop and start loses and duplicates nothing', async () => {
    const pk = randomUUID();
    for (let ck = 0; ck < 50; ck++) await client.execute(`INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, ?, 'r')`, [pk, ck]);
    await readLogRows('events', pk, 50);
    // These may still be unprocessed when the node stops: they must be logged after the start, once.
    for (let ck = 50; ck < 80; ck++) await client.execute(`INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, ?, 'r')`, [pk, ck]);
    await restart('stop');
    expect(await expectOneLogRowPerBaseRow(pk)).toHaveLength(80);
  }, restartDeadline);

  test('every write acknowledged before a SIGKILL is kept, and logged once before clients are let in again', async () => {
    const pk = randomUUID();
    const writer = newClient();
    await writer.connect();
    const acknowledged: number[] = [];
    let nextCk = 0;
    let stopping = false;
    const writers = Array.from({ length: 16 }, async () => {
      while (!stopping) {
        const ck = nextCk++;
        try {
          await writer.execute(`INSERT INTO ${KS}.events (pk, ck, v) VALUES (?, ?, 'k')`, [pk, ck]);
          acknowledged.push(ck);
        } catch {
          // The node is gone: this write was not acknowledged, so it may or may not have been kept.
        }
      }
    });
    await until('writes under way', async () => (acknowledged.length >= 300 ? true : undefined), 30_000);
    await client.shutdown();
    ctl('kill');
    stopping = true;
    await Promise.all(writers);
    await writer.shutdown();
    ctl('start');
    client = newClient();
    await client.connect();
    const kept = new Set(await expectOneLogRowPerBaseRow(pk));
    expect(acknowledged.filter((ck) => !kept.has(ck))).toEqual([]);
  }, restartDeadline);
});
