/**
 * cdc-relay at cluster scale (prints figures and ratios; asserts nothing). Run with the engines up (Kafka is
 * shared; each ring gets a Cassandra of its own, started and removed here):
 *   pnpm --filter @scylla-es/cdc-relay bench      (or `make bench` for every benchmark)
 *
 * For each ring (BENCH_RINGS, default 16x2,64x8,256x8: 32, 512 and 2,048 streams), one relay:
 * 1. Idle cost: CQL requests and lightweight transactions per second with nothing to relay, counted by the
 *    relay's own driver (`cql_requests_total`, `cql_lightweight_transactions_total`).
 * 2. End-to-end latency at 200 appends/s (append acknowledged → consumable on Kafka), over the ring's streams.
 * 3. Catch-up: a relay started on a backlog; its steady rate, read afterwards from the records' timestamps.
 * Ratios compare each ring with the first one, measured in the same run.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { steadyRate, testEngines } from '@scylla-es/es-core/testing';
import { relayFixture, spawnRelay, stopped } from '../test/support/relay-fixture';
import { benchRelayEnv, CONFIDENCE_WINDOW_MS, LATENCY_RATE_PER_SECOND, latency, POLL_INTERVAL_MS, readableBacklog, readRecords, relayEndpoint } from './relay-measurements';
import { parseRings, startRingNode, streamsOf, type Ring } from '../test/support/ring-node';

const RINGS = parseRings(process.env.BENCH_RINGS ?? '16x2,64x8,256x8');
const RELAY_PORT = Number(process.env.BENCH_RELAY_PORT ?? 3904);
const IDLE_AFTER_MS = 5_000;
const IDLE_POLL_INTERVAL_MS = 2_000;
const IDLE_SETTLE_MS = 15_000;
const IDLE_MEASURE_MS = 20_000;
const BACKLOG_AGGREGATES = Number(process.env.BENCH_SCALE_AGGREGATES ?? 2_000);

interface RingFigures {
  readonly ring: Ring;
  readonly idleRequestsPerSecond: number;
  readonly idleLwtsPerSecond: number;
  readonly latencyP50: number;
  readonly latencyP99: number;
  readonly catchUpRate: number;
}

const relayHttp = relayEndpoint(RELAY_PORT);

async function measureRing(ring: Ring): Promise<RingFigures> {
  const node = await startRingNode(ring);
  Object.assign(process.env, node.env); // the fixture's keyspace and the engines helpers use this node
  const engines = testEngines();
  const fixture = await relayFixture(`relayring${ring.vnodes}x${ring.shards}`);
  const env = benchRelayEnv(fixture, RELAY_PORT, {
    ...node.env,
    CDC_LEASE_TTL_SECONDS: '15',
    // Idle from 5 s without changes on, read every 2 s then: idle before the idle figure is measured.
    CDC_IDLE_AFTER_MS: String(IDLE_AFTER_MS),
    CDC_IDLE_POLL_INTERVAL_MS: String(IDLE_POLL_INTERVAL_MS),
  });
  let relay: ChildProcess | undefined;
  try {
    relay = spawnRelay(env);
    await relayHttp.ready();
    await sleep(IDLE_SETTLE_MS); // leases taken, every group's first windows read
    const before = { requests: await relayHttp.metric('cql_requests_total'), lwts: await relayHttp.metric('cql_lightweight_transactions_total') };
    await sleep(IDLE_MEASURE_MS);
    const seconds = IDLE_MEASURE_MS / 1000;
    const idleRequestsPerSecond = ((await relayHttp.metric('cql_requests_total')) - before.requests) / seconds;
    const idleLwtsPerSecond = ((await relayHttp.metric('cql_lightweight_transactions_total')) - before.lwts) / seconds;

    const measured = await latency(fixture, relay.pid as number);
    await stopped(relay);

    const { keys, total } = await readableBacklog(fixture, BACKLOG_AGGREGATES);
    await engines.cdcLogWritten();
    relay = spawnRelay(env);
    await relayHttp.ready();
    await relayHttp.published(total);
    const catchUpRate = steadyRate((await readRecords(fixture, fixture.topic, total, keys)).timestamps);
    const figures = { ring, idleRequestsPerSecond, idleLwtsPerSecond, latencyP50: measured.p50, latencyP99: measured.p99, catchUpRate };
    console.log(
      `ring ${label(ring)}: idle ${idleRequestsPerSecond.toFixed(1)} CQL requests/s, ${idleLwtsPerSecond.toFixed(1)} LWTs/s · latency at ${LATENCY_RATE_PER_SECOND}/s p50 ${measured.p50.toFixed(0)} ms, p99 ${measured.p99.toFixed(0)} ms (${measured.received}/${measured.total} received) · catch-up ${catchUpRate.toFixed(0)} events/s (${total} events)`,
    );
    return figures;
  } finally {
    if (relay) await stopped(relay);
    // The node and its data go anyway; a slow drop must not hide what failed before it.
    await fixture.drop().catch((error: unknown) => console.log(`            (the ring's keyspace was not dropped: ${String(error)})`));
    await node.stop();
  }
}

const label = (ring: Ring): string => `${ring.vnodes} vnodes × ${ring.shards} shards = ${streamsOf(ring)} streams`;

async function main(): Promise<void> {
  console.log(
    `cdc-relay at scale (confidence window ${CONFIDENCE_WINDOW_MS} ms, poll ${POLL_INTERVAL_MS} ms, idle after ${IDLE_AFTER_MS} ms then every ${IDLE_POLL_INTERVAL_MS} ms; one relay, a Cassandra per ring)`,
  );
  const results: RingFigures[] = [];
  for (const ring of RINGS) results.push(await measureRing(ring));
  const [base] = results;
  if (!base) return;
  for (const result of results.slice(1)) {
    console.log(
      `ratios ${streamsOf(result.ring)} vs ${streamsOf(base.ring)} streams: idle requests ${(result.idleRequestsPerSecond / base.idleRequestsPerSecond).toFixed(2)}× · latency p99 ${(result.latencyP99 / base.latencyP99).toFixed(2)}× (target ≤ 1.10) · catch-up rate ${(result.catchUpRate / base.catchUpRate).toFixed(2)} (target ≥ 0.80)`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
