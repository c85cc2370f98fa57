/**
 * projector benchmark (prints figures and ratios; asserts nothing). Run with the engines up:
 *   pnpm --filter @scylla-es/projector bench      (or `make bench` for every benchmark)
 *
 * 1. A backlog of ~50,000 order and customer events is appended to event_store and relayed to Kafka by the
 *    cdc-relay (a process of its own): the relay's rate is read from the records' create timestamps.
 * 2. Apply throughput from that Kafka backlog, in ABBA rounds so the machine's drift hits both sides alike:
 *    - the projector (a process of its own, a fresh consumer group and fresh read-model tables each round);
 *    - the floor: a bare kafkajs consumer at the same concurrency (partitions × aggregates) that parses each message and does the
 *      same reads and prepared writes of the same read-model tables (the projector's own table classes: one write
 *      for an aggregate's consecutive events of a batch, as the projector does), without the projector's
 *      committing consumer, in-order applier, parking or metrics.
 *    Both rates are taken between the 10% and the 90% mark of the events, start-up and tail excluded.
 * 3. Rebuild of the orders projection from event_store (the scan phase's rate, from the rebuild's own progress)
 *    against a raw token-range scan of the same event_store with the same ranges and concurrency that only
 *    counts the events (es-core's scanEventStore).
 * 4. Query latency at a fixed request rate against the projector's query API, and the projector's RSS.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, type EventUpcasting, type NewEvent } from '@scylla-es/es-core';
import { scanEventStore, splitRing } from '@scylla-es/es-core/cql';
import { consumedMessageOf, handleByKey } from '@scylla-es/es-core/kafka';
import { migratedKeyspace, percentile, recordBenchFigures, residentMemoryMiB, scrapedTotal, steadyRate, untilQuiet, type BenchFigure, type TestKeyspace } from '@scylla-es/es-core/testing';
import { CopiesState } from '../src/copies/copies-state';
import { CopiesTable } from '../src/copies/copies-table';
import { PROJECTIONS } from '../src/copies/projection-copies';
import { eventOfMessage } from '../src/events/event-message';
import { projectedUpcasting } from '../src/projection/aggregates';
import { readModels } from '../src/projection/read-models';
import { customerLife, orderLife, ORDER_PATHS } from '../test/support/histories';
import { engines, projectorFixture, READ_TOKEN, type ProjectorFixture } from '../test/support/projector-fixture';
import { spawnService, stopped } from '../test/support/processes';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
/** Projector and floor rounds, run as A B B A …; each round's ratio is reported, then their median. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENT_PARTITIONS = 3;
const CONCURRENT_AGGREGATES = Number(process.env.BENCH_CONCURRENT_AGGREGATES ?? 32);
const PROJECTOR_PORT = Number(process.env.BENCH_PROJECTOR_PORT ?? 3901);
const RELAY_PORT = Number(process.env.BENCH_RELAY_PORT ?? 3903);
const QUERY_RATE_PER_SECOND = 200;
const QUERY_SECONDS = 15;
const APPEND_CONCURRENCY = 32;

interface Backlog {
  readonly events: number;
  readonly orderIds: readonly string[];
  readonly customerIds: readonly string[];
}

/** Customers with three events each and orders walking every path, until about TARGET_EVENTS events. */
async function appendBacklog(fixture: ProjectorFixture): Promise<Backlog> {
  const customerIds = Array.from({ length: Math.max(1, Math.round(TARGET_EVENTS / 50)) }, () => randomUUID());
  const histories: { type: 'Order' | 'Customer'; id: string; events: NewEvent[] }[] = customerIds.map((id) => ({
    type: 'Customer',
    id,
    events: customerLife(id),
  }));
  let events = customerIds.length * 3;
  const orderIds: string[] = [];
  while (events < TARGET_EVENTS) {
    const id = randomUUID();
    const steps = ORDER_PATHS[orderIds.length % ORDER_PATHS.length] as (typeof ORDER_PATHS)[number];
    histories.push({ type: 'Order', id, events: orderLife(id, customerIds[orderIds.length % customerIds.length] as string, steps) });
    orderIds.push(id);
    events += steps.length;
  }
  for (let index = 0; index < histories.length; index += APPEND_CONCURRENCY) {
    await Promise.all(histories.slice(index, index + APPEND_CONCURRENCY).map(({ type, id, events: history }) => fixture.append(type, id, 0, history)));
  }
  return { events, orderIds, customerIds };
}

/** Create timestamps of the first `total` records of the topics: when the relay produced them. */
async function recordTimestamps(fixture: ProjectorFixture, total: number): Promise<number[]> {
  const timestamps: number[] = [];
  const consumer = fixture.kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [fixture.orderTopic, fixture.customerTopic], fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        timestamps.push(Number(message.timestamp));
        if (timestamps.length === total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return timestamps;
}

const metricTotal = (port: number, name: string): Promise<number> => scrapedTotal(`http://127.0.0.1:${port}/metrics`, name);

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Relays the backlog with the cdc-relay, and its steady rate. */
async function relayRun(fixture: ProjectorFixture, total: number): Promise<number> {
  const relay = spawnService('cdc-relay', {
    ...fixture.env(),
    PORT: String(RELAY_PORT),
    LOG_LEVEL: 'error',
    CDC_CONFIDENCE_WINDOW_MS: '1000',
    CDC_POLL_INTERVAL_MS: '200',
    CDC_WINDOW_MS: '5000',
    CDC_LOOKBACK_MS: '3600000',
  });
  try {
    await until(async () => (await metricTotal(RELAY_PORT, 'cdc_relay_messages_published_total')) >= total, 'the relay to publish the backlog');
  } finally {
    await stopped(relay);
  }
  return steadyRate(await recordTimestamps(fixture, total));
}

/** Every table of a keyspace but the schema tool's own, emptied for the next round. */
async function truncateReadModels(keyspace: TestKeyspace): Promise<void> {
  const tables = await keyspace.client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace.keyspace], { prepare: true });
  for (const row of tables.rows) {
    const table = String(row['table_name']);
    if (!table.startsWith('schema_migration')) await keyspace.client.execute(`TRUNCATE ${keyspace.keyspace}.${table}`);
  }
}

interface ApplyRun {
  readonly rate: number;
  readonly rssMiB?: number;
}

/** The projector over the backlog, into `target`'s tables, with a consumer group of its own. */
async function projectorRun(fixture: ProjectorFixture, target: TestKeyspace, total: number): Promise<ApplyRun> {
  const projector = spawnService('projector', {
    ...fixture.env(),
    SCYLLA_KEYSPACE: target.keyspace,
    PROJECTOR_GROUP_ID: `bench-projector-${randomUUID()}`,
    PROJECTOR_CONCURRENT_PARTITIONS: String(CONCURRENT_PARTITIONS),
    PROJECTOR_CONCURRENT_AGGREGATES: String(CONCURRENT_AGGREGATES),
    PORT: String(PROJECTOR_PORT),
    LOG_LEVEL: 'error',
  });
  const samples: { at: number; applied: number }[] = [];
  const rss: number[] = [];
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${PROJECTOR_PORT}/health/live`)).ok, 'the projector to start');
    let applied = 0;
    while (applied < total) {
      await sleep(200);
      applied = await metricTotal(PROJECTOR_PORT, 'projector_events_applied_total');
      samples.push({ at: Date.now(), applied });
      rss.push(residentMemoryMiB(projector.pid as number));
    }
  } finally {
    await stopped(projector);
  }
  return { rate: sampledRate(samples, total), rssMiB: Math.max(...rss) };
}

/** Events per second between the samples that passed 10% and 90% of `total`. */
function sampledRate(samples: readonly { at: number; applied: number }[], total: number): number {
  const low = samples.find((sample) => sample.applied >= total * 0.1);
  const high = samples.find((sample) => sample.applied >= total * 0.9);
  if (!low || !high || high.at === low.at) return Number.NaN;
  return ((high.applied - low.applied) / (high.at - low.at)) * 1000;
}

/** A bare kafkajs consumer doing the projector's reads and writes of each event, into `target`'s tables. */
async function floorRun(fixture: ProjectorFixture, target: TestKeyspace, total: number): Promise<ApplyRun> {
  const copiesTable = new CopiesTable(target.client, target.keyspace);
  for (const projection of PROJECTIONS) await copiesTable.ensure(projection);
  const copies = new CopiesState(copiesTable, 1_000, createLogger('bench-floor', 'error'));
  const models = readModels(target.client, target.keyspace, copies, 20_000);
  const projections = new Map(models.projections.a.map((projection) => [projection.aggregateType, projection]));
  const upcastingFor = projectedUpcasting();
  const timestamps: number[] = [];
  let resolveAll = (): void => undefined;
  const applied = (count: number) => {
    const now = Date.now();
    for (let index = 0; index < count; index += 1) timestamps.push(now);
    if (timestamps.length >= total) resolveAll();
  };
  const consumer = fixture.kafka.consumer({ groupId: `bench-floor-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [fixture.orderTopic, fixture.customerTopic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    resolveAll = resolve;
    void consumer.run({
      partitionsConsumedConcurrently: CONCURRENT_PARTITIONS,
      eachBatch: async ({ batch, resolveOffset }) => {
        const messages = batch.messages.map((record) => consumedMessageOf(batch.topic, batch.partition, record));
        const { failed } = await handleByKey(messages, {
          concurrency: CONCURRENT_AGGREGATES,
          shouldContinue: () => true,
          handle: async (message) => {
            const event = eventOfMessage(message, upcastingFor);
            const projection = event && projections.get(event.aggregateType);
            if (!event || !projection) return;
            await (await projection.load(event.aggregateId)).apply(event);
            applied(1);
          },
          // The projector writes an aggregate's consecutive events of a batch at once: so does the floor.
          handleRun: async (run) => {
            const events = run.map((message) => eventOfMessage(message, upcastingFor)).filter((event) => event !== undefined);
            const projection = events[0] && projections.get(events[0].aggregateType);
            if (!projection || events.length !== run.length) return 0;
            const { applied: count } = await (await projection.load(events[0]!.aggregateId)).applyAll(events);
            applied(count);
            return count;
          },
          onHandledThrough: (message) => resolveOffset(message.offset),
        });
        if (failed) reject(failed.error instanceof Error ? failed.error : new Error(String(failed.error)));
      },
    });
  });
  await consumer.disconnect();
  return { rate: steadyRate(timestamps) };
}

/** GET /orders/{id} and GET /customers/{id}/orders at a fixed rate against a projector that holds the backlog. */
async function queryLatency(fixture: ProjectorFixture, target: TestKeyspace, backlog: Backlog) {
  const projector = spawnService('projector', {
    ...fixture.env(),
    SCYLLA_KEYSPACE: target.keyspace,
    PROJECTOR_GROUP_ID: `bench-query-${randomUUID()}`,
    PROJECTOR_START_FROM: 'latest',
    PORT: String(PROJECTOR_PORT),
    LOG_LEVEL: 'error',
  });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${PROJECTOR_PORT}/health/ready`)).ok, 'the projector to be ready');
    const byId: number[] = [];
    const listings: number[] = [];
    const rss: number[] = [];
    const total = QUERY_RATE_PER_SECOND * QUERY_SECONDS;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    let failed = 0;
    for (let index = 0; index < total; index++) {
      const wait = started + (index * 1000) / QUERY_RATE_PER_SECOND - performance.now();
      if (wait > 0) await sleep(wait);
      if (index % QUERY_RATE_PER_SECOND === 0) rss.push(residentMemoryMiB(projector.pid as number));
      const listing = index % 4 === 3;
      const path = listing
        ? `/customers/${backlog.customerIds[index % backlog.customerIds.length]}/orders?limit=20`
        : `/orders/${backlog.orderIds[index % backlog.orderIds.length]}`;
      const sent = performance.now();
      inFlight.push(
        fetch(`http://127.0.0.1:${PROJECTOR_PORT}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } }).then(async (response) => {
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
          (listing ? listings : byId).push(performance.now() - sent);
        })
          // A connection reset on a loaded machine counts as a failed query instead of ending the bench.
          .catch(() => void (failed += 1)),
      );
    }
    await Promise.all(inFlight);
    return { byId, listings, failed, rssMiB: Math.max(...rss) };
  } finally {
    await stopped(projector);
  }
}

const ADMIN_TOKEN = 'projector-bench-admin-token';
const REBUILD_RANGES = 256;
const REBUILD_CONCURRENCY = Number(process.env.BENCH_REBUILD_CONCURRENCY ?? 32);

async function admin(method: string, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${PROJECTOR_PORT}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** The orders rebuild's events per second while it scans (from its progress), and how long it took in all. */
async function rebuildRun(fixture: ProjectorFixture): Promise<{ rate: number; events: number; scanSeconds: number; totalSeconds: number }> {
  const projector = spawnService('projector', {
    ...fixture.env(),
    PROJECTOR_GROUP_ID: `bench-rebuild-${randomUUID()}`,
    PROJECTOR_START_FROM: 'latest',
    PROJECTOR_REBUILD_RANGES: String(REBUILD_RANGES),
    PROJECTOR_REBUILD_CONCURRENCY: String(REBUILD_CONCURRENCY),
    AUTH_TOKENS: `${ADMIN_TOKEN}:admin`,
    PORT: String(PROJECTOR_PORT),
    LOG_LEVEL: 'error',
  });
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${PROJECTOR_PORT}/health/ready`)).ok, 'the projector to be ready');
    const started = Date.now();
    await admin('POST', '/admin/projections/orders/rebuild');
    // The filling phase also waits before its scan starts (for every instance to see it) and after it ends: the
    // scan's window runs from the last sample before its first event to the first sample showing its last.
    const samples: { at: number; events: number }[] = [];
    let filled = false;
    while (!filled) {
      await sleep(100);
      const status = await admin('GET', '/admin/projections/orders');
      const rebuild = status['rebuild'] as { events: number } | null;
      if (status['phase'] === 'filling' && rebuild) samples.push({ at: Date.now(), events: rebuild.events });
      filled = samples.length > 0 && status['phase'] !== 'filling';
    }
    await until(async () => (await admin('GET', '/admin/projections/orders'))['phase'] === 'idle', 'the rebuild to finish');
    const total = samples.at(-1)?.events ?? 0;
    const first = samples.filter((sample) => sample.events === 0).at(-1) ?? (samples[0] as { at: number; events: number });
    const last = samples.find((sample) => sample.events === total) as { at: number; events: number };
    const scanMs = Math.max(1, last.at - first.at);
    return { rate: ((last.events - first.events) / scanMs) * 1000, events: total, scanSeconds: scanMs / 1000, totalSeconds: (Date.now() - started) / 1000 };
  } finally {
    await stopped(projector);
  }
}

/** A bare scan of event_store's order streams with the rebuild's ranges and concurrency, counting events. */
async function rawScanRun(fixture: ProjectorFixture): Promise<number> {
  let events = 0;
  const upcastingFor = projectedUpcasting();
  const started = performance.now();
  await scanEventStore(fixture.client, fixture.keyspace, (aggregateType) => upcastingFor(aggregateType) as EventUpcasting, {
    ranges: splitRing(REBUILD_RANGES),
    concurrency: REBUILD_CONCURRENCY,
    filter: { aggregateTypes: ['Order'] },
    onStream: async (stream) => {
      events += stream.events.length;
    },
  });
  return (events / (performance.now() - started)) * 1000;
}

const recordProjectorFigures = (figures: readonly Omit<BenchFigure, 'bench'>[]) => recordBenchFigures(figures.map((figure) => ({ bench: 'projector', ...figure })));

async function settled(): Promise<void> {
  const database = engines.processIds().database;
  if (database !== undefined && !(await untilQuiet(database))) {
    console.log('            (the database stayed busy: this round is measured on a loaded machine)');
  }
}

async function main(): Promise<void> {
  const fixture = await projectorFixture('projbench');
  const projectorTables = await migratedKeyspace('projbench_p');
  const floorTables = await migratedKeyspace('projbench_f');
  try {
    console.log(`projector benchmark (engines: ${engines.kind}; ${CONCURRENT_PARTITIONS} partitions × ${CONCURRENT_AGGREGATES} aggregates applied at once, 3 partitions per topic)`);
    const backlog = await appendBacklog(fixture);
    await engines.cdcLogWritten();
    await settled();
    const relayRate = await relayRun(fixture, backlog.events);
    console.log(`relay       ${backlog.events} events (${backlog.orderIds.length} orders, ${backlog.customerIds.length} customers) relayed at ${relayRate.toFixed(0)} events/s`);

    const ratios: number[] = [];
    const projectorRates: number[] = [];
    const floorRates: number[] = [];
    let rssMiB = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const projectorFirst = round % 2 === 1;
      let projector: ApplyRun | undefined;
      let floor: ApplyRun | undefined;
      for (const side of projectorFirst ? ['projector', 'floor'] : ['floor', 'projector']) {
        await settled();
        if (side === 'projector') {
          await truncateReadModels(projectorTables);
          projector = await projectorRun(fixture, projectorTables, backlog.events);
        } else {
          await truncateReadModels(floorTables);
          floor = await floorRun(fixture, floorTables, backlog.events);
        }
      }
      if (!projector || !floor) throw new Error('a round lacks a side');
      ratios.push(projector.rate / floor.rate);
      projectorRates.push(projector.rate);
      floorRates.push(floor.rate);
      rssMiB = Math.max(rssMiB, projector.rssMiB ?? 0);
      console.log(
        `apply       round ${round}: projector ${projector.rate.toFixed(0)} events/s · floor (kafkajs + the same reads and writes) ${floor.rate.toFixed(0)} events/s · ratio ${(projector.rate / floor.rate).toFixed(2)}`,
      );
    }
    const projectorRate = percentile(projectorRates, 50);
    console.log(`apply       median ratio to the floor of ${ROUNDS} rounds: ${percentile(ratios, 50).toFixed(2)} (target ≥ 0.70)`);
    console.log(`apply       projector ${projectorRate.toFixed(0)} events/s vs relay ${relayRate.toFixed(0)} events/s: ratio ${(projectorRate / relayRate).toFixed(2)} (target ≥ 1.00)`);
    // The floor does the projector's reads and writes with nothing around them: against the relay, it is the most
    // any projector writing these tables could reach on this machine and database.
    console.log(`apply       floor ${percentile(floorRates, 50).toFixed(0)} events/s vs relay: ratio ${(percentile(floorRates, 50) / relayRate).toFixed(2)} (the ceiling of the ratio above here)`);
    console.log(`memory      projector RSS while applying the backlog: max ${rssMiB.toFixed(0)} MiB`);
    // Each phase's figures are recorded as soon as it ends: a later phase failing loses only its own.
    const floorName = 'apply floor: kafkajs + the same reads and writes';
    recordProjectorFigures([
      { name: 'relay: CDC log → Kafka', value: relayRate, unit: 'events/s' },
      { name: floorName, value: percentile(floorRates, 50), unit: 'events/s' },
      { name: 'apply: projector', value: projectorRate, unit: 'events/s', vs: floorName, target: '≥ 0.70' },
      { name: 'apply: projector, against the relay', value: projectorRate, unit: 'events/s', vs: 'relay: CDC log → Kafka', target: '≥ 1.00' },
      { name: 'apply floor, against the relay (the ceiling of the line above)', value: percentile(floorRates, 50), unit: 'events/s', vs: 'relay: CDC log → Kafka' },
      { name: 'RSS max while applying the backlog', value: rssMiB, unit: 'MiB' },
    ]);

    await settled();
    const rawScanRate = await rawScanRun(fixture);
    await settled();
    const rebuild = await rebuildRun(fixture);
    console.log(
      `rebuild     orders: ${rebuild.events} events folded at ${rebuild.rate.toFixed(0)} events/s while scanning (the scan took ${rebuild.scanSeconds.toFixed(1)} s of ${rebuild.totalSeconds.toFixed(1)} s in all, phase waits and truncations included) · raw scan of event_store ${rawScanRate.toFixed(0)} events/s · ratio ${(rebuild.rate / rawScanRate).toFixed(2)} (target ≥ 0.50)`,
    );
    recordProjectorFigures([
      { name: 'rebuild floor: raw token-range scan of event_store', value: rawScanRate, unit: 'events/s' },
      { name: 'rebuild: orders, while scanning', value: rebuild.rate, unit: 'events/s', vs: 'rebuild floor: raw token-range scan of event_store', target: '≥ 0.50' },
    ]);

    await settled();
    const queries = await queryLatency(fixture, projectorTables, backlog);
    console.log(
      `queries     at ${QUERY_RATE_PER_SECOND}/s for ${QUERY_SECONDS} s: GET /orders/{id} p50 ${percentile(queries.byId, 50).toFixed(1)} ms · p99 ${percentile(queries.byId, 99).toFixed(1)} ms; GET /customers/{id}/orders p50 ${percentile(queries.listings, 50).toFixed(1)} ms · p99 ${percentile(queries.listings, 99).toFixed(1)} ms; ${queries.failed} failed; RSS max ${queries.rssMiB.toFixed(0)} MiB`,
    );
    recordProjectorFigures([
      { name: `GET /orders/{id} p50 at ${QUERY_RATE_PER_SECOND}/s`, value: percentile(queries.byId, 50), unit: 'ms' },
      { name: `GET /orders/{id} p99 at ${QUERY_RATE_PER_SECOND}/s`, value: percentile(queries.byId, 99), unit: 'ms' },
      { name: 'GET /customers/{id}/orders p99', value: percentile(queries.listings, 99), unit: 'ms' },
      { name: 'queries failed', value: queries.failed, unit: 'requests' },
    ]);
  } finally {
    // Dropping keyspaces can time out on a loaded machine: every figure is recorded by then, so it only warns.
    const dropped = (drop: () => Promise<void>) => drop().catch((error: unknown) => console.error(`could not drop a bench keyspace: ${String(error)}`));
    await Promise.all([dropped(() => projectorTables.drop()), dropped(() => floorTables.drop())]);
    await dropped(() => fixture.drop());
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
