/**
 * cdc-relay benchmark (prints figures and ratios; asserts nothing). Run with the engines up:
 *   pnpm --filter @scylla-es/cdc-relay bench      (or `make bench` for every benchmark)
 *
 * 1. Throughput: a backlog of events in the CDC log → Kafka, against the floor measured in the same run:
 *    kafkajs publishing the very same messages from memory with the same publisher settings. Both rates are read
 *    the same way, afterwards, from the records' create timestamps on Kafka (10% → 90% of the records, start-up
 *    and tail excluded), so nothing probes the relay while it works.
 * 2. End-to-end latency at a steady append rate: append acknowledged → message consumable on Kafka.
 * 3. The relay's resident memory under that load, and its CQL requests per second while idle.
 */
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, loadConfig } from '@scylla-es/es-core';
import {
  createKafkaEventPublisher,
  ensureTopics,
  kafkaConfigShape,
  type OutboundMessage,
} from '@scylla-es/es-core/kafka';
import { percentile, processCpuSeconds, recordBenchFigures, steadyRate, untilQuiet } from '@scylla-es/es-core/testing';
import { engines, relayFixture, spawnRelay, stopped, type RelayFixture } from '../test/support/relay-fixture';
import { benchRelayEnv, CONFIDENCE_WINDOW_MS, LATENCY_RATE_PER_SECOND, latency, POLL_INTERVAL_MS, readableBacklog, readRecords, relayEndpoint } from './relay-measurements';

// 50,000 events: a couple of seconds of relaying, so neither start-up nor a hiccup of this machine decides a rate.
const BACKLOG_AGGREGATES = Number(process.env.BENCH_AGGREGATES ?? 5_000);
/** The database's and the broker's pids, to report their CPU per event too. */
const ENGINE_PIDS = engines.processIds();
/** Backlog → relay → floor rounds; the ratio reported is their median (this machine's noise is large). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RELAY_PORT = Number(process.env.BENCH_RELAY_PORT ?? 3903);

const relayHttp = relayEndpoint(RELAY_PORT);

const cpuMilliseconds = (pid: number): number => processCpuSeconds(pid) * 1000;

/** CPU milliseconds the database and the broker used so far (0 for one whose pid was not given). */
function engineCpuMs(): { database: number; broker: number } {
  return {
    database: ENGINE_PIDS.database === undefined ? 0 : cpuMilliseconds(ENGINE_PIDS.database),
    broker: ENGINE_PIDS.broker === undefined ? 0 : cpuMilliseconds(ENGINE_PIDS.broker),
  };
}

/** "database 12 µs, broker 20 µs" per event between two engineCpuMs() readings, or '' when no pid was given. */
function enginesPerEvent(before: { database: number; broker: number }, events: number): string {
  const after = engineCpuMs();
  const parts = (['database', 'broker'] as const)
    .filter((engine) => ENGINE_PIDS[engine] !== undefined)
    .map((engine) => `${engine} ${(((after[engine] - before[engine]) * 1000) / events).toFixed(0)} µs`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/**
 * Both phases start on a quiet machine: the backlog is wholly in the CDC log (the local emulation writes it a
 * moment after the base writes), and the database has finished the flushes and compactions the backlog set off,
 * which would otherwise take CPU from the relay's phase alone.
 */
async function settled(): Promise<void> {
  await engines.cdcLogWritten();
  if (ENGINE_PIDS.database !== undefined && !(await untilQuiet(ENGINE_PIDS.database))) {
    console.log('            (the database stayed busy after the backlog: this round is measured on a loaded machine)');
  }
}

/** The floor's steady rate, and the CPU this process spent per message publishing them. */
async function floorRun(
  fixture: RelayFixture,
  messages: readonly OutboundMessage[],
  round: number,
): Promise<{ rate: number; cpuUs: number; engines: string }> {
  const topic = `${fixture.topic}.floor${round}`;
  await ensureTopics(fixture.kafka, [{ topic }], { defaultPartitions: 3, defaultReplicationFactor: 1 });
  const config = loadConfig(kafkaConfigShape, { REDPANDA_BROKERS: engines.kafkaBrokers.join(',') });
  const publisher = createKafkaEventPublisher(fixture.kafka, config, createLogger('bench', 'error'));
  await publisher.connect();
  const pageSize = 1_000; // the relay's CDC_PAGE_SIZE: one publish per page of the log
  const cpuBefore = cpuMilliseconds(process.pid);
  const enginesBefore = engineCpuMs();
  for (let index = 0; index < messages.length; index += pageSize) {
    await publisher.publish(messages.slice(index, index + pageSize).map((message) => ({ ...message, topic })));
  }
  const cpuUs = ((cpuMilliseconds(process.pid) - cpuBefore) * 1000) / messages.length;
  const engineCpu = enginesPerEvent(enginesBefore, messages.length);
  await publisher.disconnect();
  return { rate: steadyRate((await readRecords(fixture, topic, messages.length)).timestamps), cpuUs, engines: engineCpu };
}

async function main(): Promise<void> {
  const fixture = await relayFixture('relaybench');
  const env = benchRelayEnv(fixture, RELAY_PORT);
  console.log(`cdc-relay benchmark (engines: ${engines.kind}; confidence window ${CONFIDENCE_WINDOW_MS} ms, poll ${POLL_INTERVAL_MS} ms)`);
  // e.g. BENCH_RELAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the relay (stopped with SIGTERM).
  const startRelay = () => spawnRelay(env, (process.env.BENCH_RELAY_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const ratios: number[] = [];
  const rates = { relay: [] as number[], floor: [] as number[] };
  let relay: ChildProcess | undefined;
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      if (relay) await stopped(relay);
      const { keys, total } = await readableBacklog(fixture, BACKLOG_AGGREGATES);
      await settled();
      relay = startRelay();
      const relayPid = relay.pid as number;
      await relayHttp.ready();
      const relayCpuBefore = cpuMilliseconds(relayPid);
      const enginesBefore = engineCpuMs();
      await relayHttp.published(total);
      const relayCpuUs = ((cpuMilliseconds(relayPid) - relayCpuBefore) * 1000) / total;
      const relayEngines = enginesPerEvent(enginesBefore, total);
      const relayed = await readRecords(fixture, fixture.topic, total, keys);
      const relayRate = steadyRate(relayed.timestamps);
      const floor = await floorRun(fixture, relayed.messages, round);
      ratios.push(relayRate / floor.rate);
      rates.relay.push(relayRate);
      rates.floor.push(floor.rate);
      console.log(
        `throughput  round ${round}: relay ${relayRate.toFixed(0)} events/s · floor (kafkajs from memory) ${floor.rate.toFixed(0)} events/s · ratio ${(relayRate / floor.rate).toFixed(2)} · ${total} events · CPU per event: relay ${relayCpuUs.toFixed(0)} µs${relayEngines}, floor ${floor.cpuUs.toFixed(0)} µs${floor.engines}`,
      );
    }
    console.log(`throughput  median ratio of ${ROUNDS} rounds: ${percentile(ratios, 50).toFixed(2)} (target ≥ 0.70)`);
    if (!relay) throw new Error('no round was run (BENCH_ROUNDS < 1)');

    const measured = await latency(fixture, relay.pid!);
    const bound = CONFIDENCE_WINDOW_MS + POLL_INTERVAL_MS + 500;
    console.log(
      `latency     append → consumable at ${LATENCY_RATE_PER_SECOND}/s: p50 ${measured.p50.toFixed(0)} ms · p99 ${measured.p99.toFixed(0)} ms (target ≤ ${bound} ms) · ${measured.received}/${measured.total} received`,
    );
    console.log(`memory      relay RSS under load: max ${Math.max(...measured.rss).toFixed(0)} MiB, mean ${(measured.rss.reduce((a, b) => a + b, 0) / measured.rss.length).toFixed(0)} MiB`);

    await sleep(3_000);
    const before = await relayHttp.metric('cql_requests_total');
    await sleep(10_000);
    const idleRate = ((await relayHttp.metric('cql_requests_total')) - before) / 10;
    console.log(`idle        CQL requests/s with nothing to relay: ${idleRate.toFixed(1)} (16 stream groups × 2 streams, poll ${POLL_INTERVAL_MS} ms)`);
    const boundName = `bound: confidence window ${CONFIDENCE_WINDOW_MS} ms + poll ${POLL_INTERVAL_MS} ms + 500 ms`;
    recordBenchFigures(
      [
        { name: 'floor: kafkajs publishing from memory', value: percentile(rates.floor, 50), unit: 'events/s' },
        { name: 'relay: CDC log → Kafka', value: percentile(rates.relay, 50), unit: 'events/s', vs: 'floor: kafkajs publishing from memory', target: '≥ 0.70' },
        { name: boundName, value: bound, unit: 'ms' },
        { name: `append → consumable p50 at ${LATENCY_RATE_PER_SECOND}/s`, value: measured.p50, unit: 'ms', vs: boundName },
        { name: `append → consumable p99 at ${LATENCY_RATE_PER_SECOND}/s`, value: measured.p99, unit: 'ms', vs: boundName, target: '≤ 1.00' },
        { name: 'RSS max under load', value: Math.max(...measured.rss), unit: 'MiB' },
        { name: 'idle CQL requests/s', value: idleRate, unit: 'req/s' },
      ].map((figure) => ({ bench: 'cdc-relay', ...figure })),
    );
  } finally {
    if (relay) await stopped(relay);
    await fixture.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
