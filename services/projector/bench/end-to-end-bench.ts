/**
 * End-to-end latency (prints figures; asserts nothing). Run with the engines up:
 *   pnpm --filter @scylla-es/projector bench      (or `make bench` for every benchmark)
 *
 * The command-service, the cdc-relay and the projector run as processes of their own. At a fixed rate
 * (BENCH_E2E_RATE commands/s, 10, for BENCH_E2E_SECONDS, 30) the bench sends REST commands, alternately an order
 * placed and the previous order confirmed, and times each from the moment it was sent:
 *  - until the command-service answers (the append acknowledged);
 *  - until the event is consumable on Kafka (a consumer of the bench's own, fetching with a 20 ms wait);
 *  - until the read model shows it: GET /orders/{id}?minVersion=N answering 200, asked as soon as the event is on
 *    Kafka (the projector looks at its model every 50 ms until the version is there).
 * Both legs are set against what an event must wait by design: the relay reads the CDC log only once a window is
 * older than the confidence window, and looks every poll interval. The services' resident memory under that load
 * is sampled every second.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile, recordBenchFigures, residentMemoryMiB } from '@scylla-es/es-core/testing';
import { spawnService, stopped } from '../test/support/processes';
import { engines, projectorFixture, READ_TOKEN, WRITE_TOKEN } from '../test/support/projector-fixture';

const RATE_PER_SECOND = Number(process.env.BENCH_E2E_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 30);
/** The command-service listens here, the projector on the next port, the relay on the one after. */
const BASE_PORT = Number(process.env.BENCH_E2E_PORT ?? 4100);
const CONFIDENCE_WINDOW_MS = 1_000;
const POLL_INTERVAL_MS = 200;
/** How long the bench waits for the last events to arrive before it counts them missing. */
const DRAIN_MS = 30_000;

const SERVICES = ['command-service', 'projector', 'cdc-relay'] as const;
type Service = (typeof SERVICES)[number];
const portOf = (service: Service) => BASE_PORT + SERVICES.indexOf(service);
const urlOf = (service: Service) => `http://127.0.0.1:${portOf(service)}`;

/** When each event (aggregate id, sequence) was first seen on Kafka, and the waits for those not seen yet. */
class Arrivals {
  private readonly seen = new Map<string, number>();
  private readonly waiting = new Map<string, (at: number) => void>();

  arrived(aggregateId: string, sequence: number, at: number): void {
    const key = `${aggregateId}:${sequence}`;
    if (this.seen.has(key)) return;
    this.seen.set(key, at);
    this.waiting.get(key)?.(at);
    this.waiting.delete(key);
  }

  /** When the event arrived, or undefined when it has not within `timeoutMs`. */
  async of(aggregateId: string, sequence: number, timeoutMs: number): Promise<number | undefined> {
    const key = `${aggregateId}:${sequence}`;
    const at = this.seen.get(key);
    if (at !== undefined) return at;
    const timeout = sleep(timeoutMs).then(() => undefined);
    const arrival = new Promise<number>((resolve) => this.waiting.set(key, resolve));
    return Promise.race([arrival, timeout]);
  }
}

interface Timings {
  readonly answered: number[];
  readonly onKafka: number[];
  readonly inReadModel: number[];
  failed: number;
}

async function command(method: string, path: string, body?: object): Promise<{ id?: string; version: number }> {
  const response = await fetch(`${urlOf('command-service')}${path}`, {
    method,
    headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as { id?: string; version: number };
}

/** GET /orders/{id}?minVersion=N until it answers 200 (the projector waits for N itself, up to its limit). */
async function readModelReached(orderId: string, version: number): Promise<boolean> {
  const response = await fetch(`${urlOf('projector')}/orders/${orderId}?minVersion=${version}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
  await response.arrayBuffer();
  return response.status === 200;
}

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** One command sent at its time, followed to Kafka and into the read model. */
async function followed(arrivals: Arrivals, timings: Timings, send: () => Promise<{ id: string; version: number }>): Promise<void> {
  const sent = performance.now();
  try {
    const { id, version } = await send();
    timings.answered.push(performance.now() - sent);
    const onKafka = await arrivals.of(id, version, DRAIN_MS);
    if (onKafka === undefined) throw new Error(`order ${id} version ${version} never reached Kafka`);
    timings.onKafka.push(onKafka - sent);
    if (!(await readModelReached(id, version))) throw new Error(`order ${id} version ${version} never reached the read model`);
    timings.inReadModel.push(performance.now() - sent);
  } catch (error) {
    timings.failed += 1;
    if (timings.failed <= 3) console.error(`end-to-end: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(): Promise<void> {
  const fixture = await projectorFixture('e2ebench');
  // The command-service writes the domain's topics, shared by every run on this broker: the projector's fresh
  // group and the bench's consumer start at their end and see only this run's events (the keyspace is new).
  const env = fixture.env({
    PROJECTOR_TOPICS: 'orders.events,customers.events',
    PROJECTOR_START_FROM: 'latest',
    PROJECTOR_GROUP_ID: `bench-e2e-${randomUUID()}`,
    PROJECTOR_MIN_VERSION_WAIT_MS: String(DRAIN_MS),
    RELAY_TOPICS: 'orders.events,customers.events',
    CDC_CONFIDENCE_WINDOW_MS: String(CONFIDENCE_WINDOW_MS),
    CDC_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    CDC_WINDOW_MS: '5000',
    CDC_LOOKBACK_MS: '120000',
    LOG_LEVEL: 'error',
  });
  const arrivals = new Arrivals();
  const consumer = fixture.kafka.consumer({ groupId: `bench-e2e-reader-${randomUUID()}`, maxWaitTimeInMs: 20 });
  const processes = new Map<Service, ChildProcess>();
  try {
    for (const service of SERVICES) processes.set(service, spawnService(service, { ...env, PORT: String(portOf(service)) }));
    for (const service of SERVICES) {
      await until(async () => (await fetch(`${urlOf(service)}/health/ready`)).ok, `the ${service} to be ready`);
    }
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders.events', fromBeginning: false });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const { aggregateId, sequence } = JSON.parse(String(message.value)) as { aggregateId: string; sequence: number };
        arrivals.arrived(aggregateId, sequence, performance.now());
      },
    });
    await until(async () => joined, 'the bench consumer to join its group');

    const customer = await command('POST', '/customers', { email: `e2e-${randomUUID()}@example.com`, firstName: 'Ada', lastName: 'Bench' });
    const customerId = customer.id as string;
    const place = async () => {
      const placed = await command('POST', '/orders', { customerId, items: [{ productId: randomUUID(), quantity: 1 }] });
      return { id: placed.id as string, version: placed.version };
    };
    // Warm-up: a few orders all the way into the read model (statements prepared, consumers assigned, JIT).
    const warmUp: Timings = { answered: [], onKafka: [], inReadModel: [], failed: 0 };
    await Promise.all(Array.from({ length: 5 }, () => followed(arrivals, warmUp, place)));
    if (warmUp.inReadModel.length === 0) throw new Error('no warm-up order reached the read model');

    console.log(
      `end-to-end benchmark (engines: ${engines.kind}; ${RATE_PER_SECOND} commands/s for ${SECONDS} s; confidence window ${CONFIDENCE_WINDOW_MS} ms, poll ${POLL_INTERVAL_MS} ms)`,
    );
    const timings: Timings = { answered: [], onKafka: [], inReadModel: [], failed: 0 };
    const rss = new Map<Service, number[]>(SERVICES.map((service) => [service, []]));
    const sampler = setInterval(() => {
      for (const [service, child] of processes) rss.get(service)?.push(residentMemoryMiB(child.pid as number));
    }, 1_000);
    const total = RATE_PER_SECOND * SECONDS;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    let lastPlaced: Promise<{ id: string; version: number }> | undefined;
    for (let index = 0; index < total; index++) {
      const wait = started + (index * 1000) / RATE_PER_SECOND - performance.now();
      if (wait > 0) await sleep(wait);
      if (index % 2 === 0 || !lastPlaced) {
        const placing = place();
        lastPlaced = placing;
        inFlight.push(followed(arrivals, timings, () => placing));
      } else {
        const previous = lastPlaced;
        inFlight.push(
          followed(arrivals, timings, async () => {
            const { id } = await previous;
            return { id, version: (await command('POST', `/orders/${id}/confirm`)).version };
          }),
        );
      }
    }
    await Promise.all(inFlight);
    clearInterval(sampler);

    const bound = CONFIDENCE_WINDOW_MS + POLL_INTERVAL_MS;
    const boundName = `bound: confidence window ${CONFIDENCE_WINDOW_MS} ms + poll ${POLL_INTERVAL_MS} ms`;
    const p = (values: readonly number[], rank: number) => percentile(values, rank);
    console.log(`commands    ${timings.answered.length}/${total} answered: p50 ${p(timings.answered, 50).toFixed(1)} ms · p99 ${p(timings.answered, 99).toFixed(1)} ms`);
    console.log(`kafka       command → consumable on Kafka: p50 ${p(timings.onKafka, 50).toFixed(0)} ms · p99 ${p(timings.onKafka, 99).toFixed(0)} ms (${boundName})`);
    console.log(`read model  command → GET ?minVersion answers: p50 ${p(timings.inReadModel, 50).toFixed(0)} ms · p99 ${p(timings.inReadModel, 99).toFixed(0)} ms · ${timings.inReadModel.length}/${total} reached · ${timings.failed} failed`);
    const rssMax = SERVICES.map((service) => [service, Math.max(...(rss.get(service) ?? []))] as const);
    console.log(`memory      RSS max under this load: ${rssMax.map(([service, mib]) => `${service} ${mib.toFixed(0)} MiB`).join(' · ')}`);
    recordBenchFigures(
      [
        { name: boundName, value: bound, unit: 'ms' },
        { name: `command answered p50 at ${RATE_PER_SECOND}/s`, value: p(timings.answered, 50), unit: 'ms' },
        { name: `command answered p99 at ${RATE_PER_SECOND}/s`, value: p(timings.answered, 99), unit: 'ms' },
        { name: 'command → on Kafka p50', value: p(timings.onKafka, 50), unit: 'ms', vs: boundName },
        { name: 'command → on Kafka p99', value: p(timings.onKafka, 99), unit: 'ms', vs: boundName },
        { name: 'command → read model p50', value: p(timings.inReadModel, 50), unit: 'ms', vs: boundName },
        { name: 'command → read model p99', value: p(timings.inReadModel, 99), unit: 'ms', vs: boundName },
        { name: 'commands not followed into the read model (failed or lost)', value: timings.failed, unit: 'commands' },
        ...rssMax.map(([service, mib]) => ({ name: `RSS max under this load, ${service}`, value: mib, unit: 'MiB' })),
      ].map((figure) => ({ bench: 'end-to-end', ...figure })),
    );
  } finally {
    await consumer.disconnect().catch(() => undefined);
    for (const child of processes.values()) await stopped(child);
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
