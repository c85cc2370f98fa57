/**
 * Append throughput of the command-service against the floor, in one run (prints figures, asserts nothing):
 *  - floor: raw cassandra-driver doing what one command needs, the aggregate's tail read + one conditional batch
 *    writing the same row (envelope, metadata, outbox headers) the service writes;
 *  - service: `PUT /orders/:id/items` through HTTP on the real service (`node dist/main.js`);
 * both with BENCH_CONCURRENCY clients (32) on distinct aggregates for BENCH_SECONDS (20) each. The two run in
 * alternating rounds of BENCH_ROUND_SECONDS (5) in ABBA order, so the database's background work (flushes,
 * compactions of what the previous phase wrote) and any drift of this noisy machine fall on both alike.
 * With a local database (its pid known) the comparison runs twice: all processes sharing every core, then the
 * database alone on core 0 and the clients on the others, as when the database has hosts of its own.
 * Then the load time of a 10,000-event order (snapshots) against a 10-event one, and the service's resident
 * memory under load.
 *
 *   pnpm --filter @scylla-es/command-service build && pnpm --filter @scylla-es/command-service bench
 */
import { randomUUID } from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventUpcasting, loadConfig, type NewEvent } from '@scylla-es/es-core';
import { CqlEventStore, createCqlClient, cqlConfigShape } from '@scylla-es/es-core/cql';
import { machineCpu, percentile, processCpuSeconds, recordBenchFigures, residentMemoryMiB, testEngines, type BenchFigure } from '@scylla-es/es-core/testing';
import { orderEventDefinitions, orderUpcasters } from '@scylla-es/domain';
import { types, type Client } from 'cassandra-driver';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 5);
/** The database process's pid when known, to report its CPU per phase too (and to pin it to a core). */
const DATABASE_PID = testEngines().processIds().database;
const SNAPSHOT_EVERY = 100;
const BIG_AGGREGATE = 10_000;
const TOKEN = 'bench-writer-token-0001';
const KEYSPACE = `bench_cmd_${randomUUID().slice(0, 8)}`;
const MAIN_JS = path.resolve(__dirname, '..', 'main.js');
const BENCH = 'command-service';

const cqlEnv = {
  SCYLLA_NODES: process.env.SCYLLA_NODES ?? '127.0.0.1:9042',
  SCYLLA_LOCAL_DC: process.env.SCYLLA_LOCAL_DC ?? 'datacenter1',
  SCYLLA_KEYSPACE: KEYSPACE,
};

// ---------------------------------------------------------------------------------------------------- helpers

interface RunStats {
  readonly ops: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

const summary = (stats: RunStats) => ({
  opsPerSecond: stats.ops / stats.seconds,
  p50: percentile(stats.latenciesMs, 50),
  p99: percentile(stats.latenciesMs, 99),
  errors: stats.errors,
});

/** `clients` loops, each calling `operation(client)` until the deadline; latency of every successful call kept. */
async function closedLoop(clients: number, seconds: number, operation: (client: number) => Promise<boolean>): Promise<RunStats> {
  const latenciesMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await operation(client).catch(() => false);
        if (ok) latenciesMs.push(performance.now() - t0);
        else errors += 1;
      }
    }),
  );
  return { ops: latenciesMs.length, errors, seconds: (performance.now() - started) / 1000, latenciesMs };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function request(port: number, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * One side of the comparison (floor or service), measured over several rounds: its operations, latencies, and
 * the CPU the machine, the bench process and the service process used while it ran (in cores).
 */
class Phase {
  private readonly latenciesMs: number[] = [];
  private errors = 0;
  private seconds = 0;
  private machineCoreSeconds = 0;
  private benchCpuSeconds = 0;
  private serviceCpuSeconds = 0;
  private databaseCpuSeconds = 0;

  constructor(
    private readonly servicePid: number,
    private readonly operation: (client: number) => Promise<boolean>,
  ) {}

  async round(seconds: number): Promise<void> {
    const machineBefore = machineCpu();
    const benchBefore = processCpuSeconds(process.pid);
    const serviceBefore = processCpuSeconds(this.servicePid);
    const databaseBefore = DATABASE_PID === undefined ? 0 : processCpuSeconds(DATABASE_PID);
    const stats = await closedLoop(CONCURRENCY, seconds, this.operation);
    const machineAfter = machineCpu();
    this.latenciesMs.push(...stats.latenciesMs);
    this.errors += stats.errors;
    this.seconds += stats.seconds;
    this.machineCoreSeconds +=
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * os.cpus().length * stats.seconds;
    this.benchCpuSeconds += processCpuSeconds(process.pid) - benchBefore;
    this.serviceCpuSeconds += processCpuSeconds(this.servicePid) - serviceBefore;
    if (DATABASE_PID !== undefined) this.databaseCpuSeconds += processCpuSeconds(DATABASE_PID) - databaseBefore;
  }

  summary() {
    const { opsPerSecond, p50, p99, errors } = summary({
      ops: this.latenciesMs.length,
      errors: this.errors,
      seconds: this.seconds,
      latenciesMs: this.latenciesMs,
    });
    return {
      opsPerSecond,
      p50,
      p99,
      errors,
      machineCores: this.machineCoreSeconds / this.seconds,
      benchCores: this.benchCpuSeconds / this.seconds,
      serviceCores: this.serviceCpuSeconds / this.seconds,
      databaseCores: DATABASE_PID === undefined ? undefined : this.databaseCpuSeconds / this.seconds,
    };
  }
}

/** Runs the two phases in rounds, ABBA order (A B B A A B …), `seconds` in total for each. */
async function interleaved(a: Phase, b: Phase, seconds: number, roundSeconds: number): Promise<void> {
  const roundsEach = Math.max(1, Math.round(seconds / roundSeconds));
  for (let round = 0; round < 2 * roundsEach; round++) {
    const firstOfPair = round % 2 === 0;
    const pairStartsWithA = Math.floor(round / 2) % 2 === 0;
    await (firstOfPair === pairStartsWithA ? a : b).round(seconds / roundsEach);
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startService(port: number, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service.
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], {
    env: {
      PATH: process.env.PATH,
      ...cqlEnv,
      PORT: String(port),
      AUTH_TOKENS: `${TOKEN}:write`,
      SNAPSHOT_EVERY: String(SNAPSHOT_EVERY),
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the command-service exited with ${child.exitCode}`);
    const ready = await request(port, 'GET', '/health/ready').catch(() => undefined);
    if (ready?.status === 200) return child;
    if (Date.now() > deadline) throw new Error('the command-service did not become ready');
    await sleep(250);
  }
}

const line = () => ({ productId: randomUUID(), quantity: 1 + Math.floor(Math.random() * 9) });

// ------------------------------------------------------------------------------------------------------ floor

/**
 * What one command costs the database, without the service: read the aggregate's tail after the version the
 * client last knew (the least a writer must read to decide on the current state; usually no rows) and append one
 * event row + the head in one conditional batch.
 */
function floorOperation(client: Client, aggregates: readonly string[], versions: number[]) {
  const table = `${KEYSPACE}.event_store`;
  const selectTail = `SELECT sequence, event_type, schema_version, data, metadata, occurred_at FROM ${table}
    WHERE aggregate_id = ? AND sequence > ? LIMIT 501`;
  const advance = `UPDATE ${table} SET version = ?, aggregate_type = ? WHERE aggregate_id = ? IF version = ?`;
  const insert = `INSERT INTO ${table} (aggregate_id, sequence, event_id, event_type, schema_version, data, metadata,
    occurred_at, recorded_at, command_id, topic, message_key, headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  return async (index: number): Promise<boolean> => {
    const aggregateId = aggregates[index] as string;
    const version = versions[index] as number;
    await client.execute(selectTail, [aggregateId, types.Long.fromNumber(version)], { prepare: true });
    const next = version + 1;
    const now = new Date();
    const data = JSON.stringify({ items: [line()], updatedAt: now.toISOString() });
    const eventId = randomUUID();
    const commandId = randomUUID();
    const correlationId = randomUUID();
    const metadata = { correlationId, commandId, userId: 'token:0123456789ab' };
    const headers = {
      'aggregate-id': aggregateId,
      'aggregate-type': 'Order',
      'command-id': commandId,
      'correlation-id': correlationId,
      'event-id': eventId,
      'event-type': 'OrderItemsUpdated',
      'occurred-at': now.toISOString(),
      'schema-version': '1',
      sequence: String(next),
    };
    const result = await client.batch(
      [
        { query: advance, params: [types.Long.fromNumber(next), 'Order', aggregateId, version === 0 ? null : types.Long.fromNumber(version)] },
        {
          query: insert,
          params: [aggregateId, types.Long.fromNumber(next), types.Uuid.fromString(eventId), 'OrderItemsUpdated', 1, data,
            JSON.stringify(metadata), now, now, commandId, 'orders.events', aggregateId, headers],
        },
      ],
      { prepare: true, logged: true, consistency: types.consistencies.localQuorum, serialConsistency: types.consistencies.localSerial },
    );
    if (!result.wasApplied()) return false;
    versions[index] = next;
    return true;
  };
}

// ----------------------------------------------------------------------------------------------------- service

async function createCustomerAndOrders(port: number, count: number): Promise<string[]> {
  const customer = await request(port, 'POST', '/customers', { email: `bench.${randomUUID()}@example.com`, firstName: 'B', lastName: 'Ench' });
  if (customer.status !== 201) throw new Error(`registration failed: ${customer.status} ${customer.body}`);
  const customerId = (JSON.parse(customer.body) as { id: string }).id;
  const orders: string[] = [];
  for (let index = 0; index < count; index++) {
    const order = await request(port, 'POST', '/orders', { customerId, items: [line()] });
    if (order.status !== 201) throw new Error(`order failed: ${order.status} ${order.body}`);
    orders.push((JSON.parse(order.body) as { id: string }).id);
  }
  return orders;
}

/** An order of exactly `events` events: created over HTTP, bulk-appended directly, the last event over HTTP again (which snapshots). */
async function orderWithEvents(port: number, store: CqlEventStore, customerOrder: string, events: number): Promise<string> {
  let version = 1;
  const batch = 50;
  while (version < events - 1) {
    const count = Math.min(batch, events - 1 - version);
    const now = new Date();
    const newEvents: NewEvent[] = Array.from({ length: count }, () => ({ type: 'OrderItemsUpdated', data: { items: [line()], updatedAt: now } }));
    await store.append({
      stream: { aggregateType: 'Order', aggregateId: customerOrder },
      expectedVersion: version,
      events: newEvents,
      metadata: { correlationId: 'bench-bulk-load' },
      topic: 'orders.events',
      occurredAt: now,
    });
    version += count;
  }
  const last = await request(port, 'PUT', `/orders/${customerOrder}/items`, { items: [line()] });
  if (last.status !== 200) throw new Error(`final update failed: ${last.status} ${last.body}`);
  return customerOrder;
}

async function getLatencies(port: number, urlPath: string, samples: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let index = 0; index < samples; index++) {
    const t0 = performance.now();
    const response = await request(port, 'GET', urlPath);
    if (response.status !== 200) throw new Error(`GET ${urlPath}: ${response.status}`);
    latencies.push(performance.now() - t0);
  }
  return latencies;
}

// ---------------------------------------------------------------------------------------------- throughput

/** Floor and service in ABBA rounds; prints both, their ratio and where the CPU went, and records them as `label`. */
async function compareThroughput(
  setting: string,
  label: string,
  servicePid: number,
  floorOp: (client: number) => Promise<boolean>,
  serviceOp: (client: number) => Promise<boolean>,
): Promise<void> {
  const fmt = (value: number, digits = 1) => value.toFixed(digits);
  const floorPhase = new Phase(servicePid, floorOp);
  const servicePhase = new Phase(servicePid, serviceOp);
  await interleaved(floorPhase, servicePhase, SECONDS, ROUND_SECONDS);
  const floor = floorPhase.summary();
  const serviceRun = servicePhase.summary();
  process.stdout.write(`  ${setting}:\n`);
  process.stdout.write(`    floor   driver: tail read + conditional batch   ${fmt(floor.opsPerSecond, 0).padStart(6)} ops/s   p50 ${fmt(floor.p50)} ms   p99 ${fmt(floor.p99)} ms   errors ${floor.errors}\n`);
  process.stdout.write(`    service HTTP PUT /orders/:id/items              ${fmt(serviceRun.opsPerSecond, 0).padStart(6)} ops/s   p50 ${fmt(serviceRun.p50)} ms   p99 ${fmt(serviceRun.p99)} ms   errors ${serviceRun.errors}\n`);
  process.stdout.write(`    ratio service / floor: ${fmt(serviceRun.opsPerSecond / floor.opsPerSecond, 2)} (target ≥ 0.6)\n`);
  const cpu = (phase: ReturnType<Phase['summary']>) =>
    `${fmt(phase.machineCores)} machine, ${fmt(phase.serviceCores)} command-service, ${fmt(phase.benchCores)} bench process` +
    (phase.databaseCores === undefined ? '' : `, ${fmt(phase.databaseCores)} database (${fmt((phase.databaseCores / phase.opsPerSecond) * 1000, 2)} ms per operation)`);
  process.stdout.write(`    CPU in cores (machine has ${os.cpus().length}): floor ${cpu(floor)}; service ${cpu(serviceRun)}\n`);
  process.stdout.write(`    command-service CPU per request: ${fmt((serviceRun.serviceCores / serviceRun.opsPerSecond) * 1000, 2)} ms\n`);
  const figure = (name: string, value: number, unit: string, vs?: string, target?: string): BenchFigure => ({ bench: BENCH, name: `${name}, ${label}`, value, unit, vs: vs && `${vs}, ${label}`, target });
  recordBenchFigures([
    figure('append floor (driver: tail read + conditional batch)', floor.opsPerSecond, 'ops/s'),
    figure('append service (HTTP PUT /orders/:id/items)', serviceRun.opsPerSecond, 'ops/s', 'append floor (driver: tail read + conditional batch)', '≥ 0.60'),
    figure('append floor p99', floor.p99, 'ms'),
    figure('append service p99', serviceRun.p99, 'ms', 'append floor p99'),
  ]);
}

/**
 * Runs `work` with the database's threads on core 0 and the client processes on the other cores (taskset), then
 * lets every process use every core again. On a small machine the service's own CPU otherwise comes out of the
 * database's share (and makes the database less efficient), which the floor, mostly waiting on the database,
 * barely does; in production the database runs on hosts of its own. False when it cannot be done here.
 */
async function onSeparateCores(databasePid: number, clientPids: readonly number[], work: () => Promise<void>): Promise<boolean> {
  const cores = os.cpus().length;
  if (cores < 2) return false;
  const pin = (pid: number, list: string) => execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
  const release = () => {
    for (const pid of [databasePid, ...clientPids]) {
      try {
        pin(pid, `0-${cores - 1}`);
      } catch {
        // taskset is missing, or the process has gone: nothing left pinned by us.
      }
    }
  };
  try {
    pin(databasePid, '0');
    for (const pid of clientPids) pin(pid, `1-${cores - 1}`);
  } catch {
    release();
    return false;
  }
  try {
    await work();
    return true;
  } finally {
    release();
  }
}

// -------------------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const fmt = (value: number, digits = 1) => value.toFixed(digits);
  process.stdout.write(`command-service bench: ${CONCURRENCY} clients, ${SECONDS} s per run, keyspace ${KEYSPACE} on ${cqlEnv.SCYLLA_NODES}\n`);
  const port = await freePort();
  const service = await startService(port);
  const client = createCqlClient(loadConfig(cqlConfigShape, cqlEnv));
  await client.connect();
  try {
    // Warm-up: prepares statements and JIT on both sides.
    const warmOrders = await createCustomerAndOrders(port, CONCURRENCY);
    await closedLoop(CONCURRENCY, 2, (index) =>
      request(port, 'PUT', `/orders/${warmOrders[index]}/items`, { items: [line()] }).then((response) => response.status === 200),
    );

    const floorAggregates = Array.from({ length: CONCURRENCY }, () => randomUUID());
    const versions = floorAggregates.map(() => 0);
    const floorOp = floorOperation(client, floorAggregates, versions);
    await closedLoop(CONCURRENCY, 2, floorOp);
    const orders = await createCustomerAndOrders(port, CONCURRENCY);
    const serviceOp = (index: number) =>
      request(port, 'PUT', `/orders/${orders[index]}/items`, { items: [line()] }).then((response) => response.status === 200);

    const servicePid = service.pid as number;
    let peakRss = residentMemoryMiB(servicePid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, residentMemoryMiB(servicePid));
    }, 250);
    process.stdout.write(`\nappend throughput (${CONCURRENCY} concurrent clients, distinct aggregates, ${SECONDS} s each in ABBA rounds of ${ROUND_SECONDS} s)\n`);
    await compareThroughput('all processes share every core', 'shared cores', servicePid, floorOp, serviceOp);
    if (DATABASE_PID !== undefined) {
      const separated = await onSeparateCores(DATABASE_PID, [process.pid, servicePid], () =>
        compareThroughput('the database on core 0, the clients (bench, service) on the others: as on separate hosts', 'database on a core of its own', servicePid, floorOp, serviceOp),
      );
      if (!separated) process.stdout.write('  (no second run on separate cores: it needs taskset and at least 2 cores)\n');
    }
    clearInterval(sampler);
    const rssAfter = residentMemoryMiB(servicePid);
    process.stdout.write(`command-service RSS: peak ${fmt(peakRss, 0)} MiB under load, ${fmt(rssAfter, 0)} MiB right after\n`);
    recordBenchFigures([{ bench: BENCH, name: 'RSS peak under append load', value: peakRss, unit: 'MiB' }]);

    // Load time: a 10,000-event order (snapshot every 100) against a 10-event order, GET p50 over 100 reads each.
    const upcasting = new EventUpcasting(orderEventDefinitions, orderUpcasters);
    const store = new CqlEventStore(client, KEYSPACE, () => upcasting);
    const [big, small] = await createCustomerAndOrders(port, 2);
    await orderWithEvents(port, store, big as string, BIG_AGGREGATE);
    await orderWithEvents(port, store, small as string, 10);
    await getLatencies(port, `/orders/${big}`, 20);
    await getLatencies(port, `/orders/${small}`, 20);
    const cachedBig = percentile(await getLatencies(port, `/orders/${big}`, 100), 50);
    const cachedSmall = percentile(await getLatencies(port, `/orders/${small}`, 100), 50);
    // The same reads on an instance without in-memory states: snapshot row + tail from the database.
    const uncachedPort = await freePort();
    const uncached = await startService(uncachedPort, { AGGREGATE_CACHE_SIZE: '0' });
    try {
      await getLatencies(uncachedPort, `/orders/${big}`, 20);
      await getLatencies(uncachedPort, `/orders/${small}`, 20);
      const bigP50 = percentile(await getLatencies(uncachedPort, `/orders/${big}`, 100), 50);
      const smallP50 = percentile(await getLatencies(uncachedPort, `/orders/${small}`, 100), 50);
      const replay = await getLatencies(uncachedPort, `/orders/${big}?asOf=2999-01-01T00:00:00Z`, 5);
      process.stdout.write(`\nload (GET /orders/:id, p50 of 100 sequential reads)\n`);
      process.stdout.write(`  from snapshot rows (AGGREGATE_CACHE_SIZE=0): ${BIG_AGGREGATE}-event order ${fmt(bigP50, 2)} ms, 10-event order ${fmt(smallP50, 2)} ms, ratio ${fmt(bigP50 / smallP50, 2)} (target ≤ 3)\n`);
      process.stdout.write(`  with in-memory states (default):            ${BIG_AGGREGATE}-event order ${fmt(cachedBig, 2)} ms, 10-event order ${fmt(cachedSmall, 2)} ms, ratio ${fmt(cachedBig / cachedSmall, 2)}\n`);
      process.stdout.write(`  full replay of the ${BIG_AGGREGATE} events (?asOf ignores snapshots), p50 of 5: ${fmt(percentile(replay, 50), 0)} ms\n`);
      recordBenchFigures([
        { bench: BENCH, name: 'load p50, 10-event order (snapshot rows)', value: smallP50, unit: 'ms' },
        { bench: BENCH, name: `load p50, ${BIG_AGGREGATE}-event order (snapshot rows)`, value: bigP50, unit: 'ms', vs: 'load p50, 10-event order (snapshot rows)', target: '≤ 3' },
      ]);
    } finally {
      uncached.kill('SIGTERM');
      await new Promise((resolve) => (uncached.exitCode === null ? uncached.once('exit', resolve) : resolve(undefined)));
    }
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => (service.exitCode === null ? service.once('exit', resolve) : resolve(undefined)));
    await client.execute(`DROP KEYSPACE IF EXISTS ${KEYSPACE}`).catch(() => undefined);
    await client.shutdown();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
