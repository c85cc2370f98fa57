/**
 * dlq-service listing latency (prints figures; asserts nothing). Run with the engines up:
 *   pnpm --filter @scylla-es/dlq-service bench      (or `make bench` for every benchmark)
 *
 * The dlq-service runs as a process of its own and stores BENCH_DEAD_LETTERS (5,000) dead letters sent to its
 * topic: two sources, three error classes, two event types, 200 aggregates, failures spread over six days. Then
 * GET /dlq/messages (the first page, 50 rows) without a filter and with each kind of filter, the queries taken in
 * turn so the machine's drift falls on all of them alike, BENCH_DLQ_SAMPLES (200) times each: p50 and p99, each
 * against the listing without a filter. Also the rate the service stored the dead letters at, and its RSS.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, recordBenchFigures, residentMemoryMiB, type BenchFigure } from '@scylla-es/es-core/testing';
import { ADMIN_TOKEN, dlqFixture, eventMessageOf, orderEvent, poisonDeadLetter } from '../test/support/dlq-fixture';

const DEAD_LETTERS = Number(process.env.BENCH_DEAD_LETTERS ?? 5_000);
const SAMPLES = Number(process.env.BENCH_DLQ_SAMPLES ?? 200);
const PORT = Number(process.env.BENCH_DLQ_PORT ?? 4103);
const AGGREGATES = 200;
const PAGE = 50;
const DAY_MS = 86_400_000;
const START = Date.parse('2026-11-20T00:00:00.000Z');
const BENCH = 'dlq-service';
const URL = `http://127.0.0.1:${PORT}`;

async function get(urlPath: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${URL}${urlPath}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function until(probe: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  const fixture = await dlqFixture('dlqbench');
  const service = fork(path.join(__dirname, '..', '..', 'dist', 'main.js'), [], {
    env: fixture.env({ PORT: String(PORT), LOG_LEVEL: 'error', DLQ_STATS_MAX_AGE_MS: '0' }),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(residentMemoryMiB(service.pid as number)), 1_000);
  try {
    await until(async () => (await get('/health/ready')).status === 200, 'the dlq-service to be ready', 180_000);
    const aggregates = Array.from({ length: AGGREGATES }, () => randomUUID());
    const letters = Array.from({ length: DEAD_LETTERS }, (_, index) => {
      const aggregateId = aggregates[index % AGGREGATES] as string;
      const sequence = Math.floor(index / AGGREGATES) + 1;
      const event = orderEvent(fixture.eventTopic, aggregateId, sequence, index % 3 === 0 ? 'OrderShipped' : 'OrderConfirmed');
      return poisonDeadLetter(fixture.deadLetterTopic, eventMessageOf(event), {
        source: index % 4 === 0 ? 'cdc-relay' : 'projector',
        errorClass: ['TypeError', 'ProjectionError', 'MessageTooLargeError'][index % 5 % 3] as string,
        failedAt: new Date(START + Math.floor((index * 6 * DAY_MS) / DEAD_LETTERS)),
        offset: String(index),
      });
    });
    const sendStarted = performance.now();
    await fixture.sendDeadLetters(letters);
    await until(async () => (await get('/dlq/stats')).body['total'] === DEAD_LETTERS, `${DEAD_LETTERS} dead letters stored`, 600_000);
    const storedPerSecond = DEAD_LETTERS / ((performance.now() - sendStarted) / 1000);

    const day = (offset: number) => new Date(START + offset * DAY_MS).toISOString();
    const queries: Record<string, string> = {
      'no filter': '',
      'source=cdc-relay': 'source=cdc-relay',
      'errorClass=TypeError': 'errorClass=TypeError',
      'eventType=OrderShipped': 'eventType=OrderShipped',
      'aggregateId (one of 200)': `aggregateId=${aggregates[7]}`,
      'one day (from, to)': `from=${day(2)}&to=${day(3)}`,
      'source and errorClass': 'source=projector&errorClass=TypeError',
    };
    const latencies = new Map(Object.keys(queries).map((name) => [name, [] as number[]]));
    for (let sample = -20; sample < SAMPLES; sample++) {
      for (const [name, query] of Object.entries(queries)) {
        const sent = performance.now();
        const answer = await get(`/dlq/messages?${query}${query ? '&' : ''}limit=${PAGE}`);
        if (answer.status !== 200) throw new Error(`GET /dlq/messages?${query} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        if (sample >= 0) latencies.get(name)?.push(performance.now() - sent);
      }
    }
    clearInterval(sampler);

    console.log(`dlq-service benchmark: ${DEAD_LETTERS} dead letters stored at ${storedPerSecond.toFixed(0)}/s; GET /dlq/messages (${PAGE} rows), ${SAMPLES} times each:`);
    const figures: BenchFigure[] = [];
    for (const [name, values] of latencies) {
      const p50 = percentile(values, 50);
      const p99 = percentile(values, 99);
      console.log(`  ${name.padEnd(26)} p50 ${p50.toFixed(1)} ms · p99 ${p99.toFixed(1)} ms`);
      const vs = (rank: string) => (name === 'no filter' ? {} : { vs: `list ${rank}, no filter` });
      figures.push(
        { bench: BENCH, name: `list p50, ${name}`, value: p50, unit: 'ms', ...vs('p50') },
        { bench: BENCH, name: `list p99, ${name}`, value: p99, unit: 'ms', ...vs('p99') },
      );
    }
    console.log(`  RSS max ${Math.max(...rss).toFixed(0)} MiB`);
    recordBenchFigures([
      { bench: BENCH, name: 'dead letters stored', value: storedPerSecond, unit: 'letters/s' },
      ...figures,
      { bench: BENCH, name: `RSS max (${DEAD_LETTERS} letters stored, then listed)`, value: Math.max(...rss), unit: 'MiB' },
    ]);
  } finally {
    clearInterval(sampler);
    await stopped(service);
    // Dropping a keyspace can time out on a loaded machine: the figures are recorded by then, so it only warns.
    await fixture.drop().catch((error: unknown) => console.error(`could not drop the bench keyspace: ${String(error)}`));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
