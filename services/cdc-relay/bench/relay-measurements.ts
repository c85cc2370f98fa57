/**
 * What both relay benchmarks share: the relay's settings, and how they measure its readiness and metrics, backlogs,
 * records, latency.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OutboundMessage } from '@scylla-es/es-core/kafka';
import { percentile, residentMemoryMiB, scrapedTotal } from '@scylla-es/es-core/testing';
import type { RelayFixture } from '../test/support/relay-fixture';

/** How long a change waits to be read (the relay's CDC_CONFIDENCE_WINDOW_MS), and how often the relay polls. */
export const CONFIDENCE_WINDOW_MS = 1_000;
export const POLL_INTERVAL_MS = 200;
/** The events of each aggregate of a backlog. */
const EVENTS_PER_AGGREGATE = 10;
/** The latency phase: single-event appends at this steady rate, for this long. */
export const LATENCY_RATE_PER_SECOND = 200;
const LATENCY_SECONDS = 20;

/**
 * The environment of a relay a bench starts on `port`: the timings above, quiet logs, and a look back far enough
 * that a relay started on a backlog reads it all; `overrides` on top.
 */
export function benchRelayEnv(fixture: RelayFixture, port: number, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return fixture.env({
    PORT: String(port),
    LOG_LEVEL: 'error',
    CDC_CONFIDENCE_WINDOW_MS: String(CONFIDENCE_WINDOW_MS),
    CDC_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    CDC_WINDOW_MS: '5000',
    CDC_LOOKBACK_MS: '3600000',
    ...overrides,
  });
}

/** A relay started by a bench on a known port: its liveness and its metric totals. */
export function relayEndpoint(port: number) {
  const metric = (name: string): Promise<number> => scrapedTotal(`http://127.0.0.1:${port}/metrics`, name);
  return {
    metric,
    async ready(): Promise<void> {
      for (let attempt = 0; attempt < 240; attempt++) {
        const ready = await fetch(`http://127.0.0.1:${port}/health/live`).then((r) => r.ok, () => false);
        if (ready) return;
        await sleep(250);
      }
      throw new Error('the relay did not start');
    },
    /**
     * Resolves once the relay has published `total` messages. A slow poll: the relay's work is measured from the
     * records afterwards, not by probing it meanwhile.
     */
    async published(total: number): Promise<void> {
      while ((await metric('cdc_relay_messages_published_total')) < total) await sleep(500);
    },
  };
}

export interface Backlog {
  /** The aggregates' ids (the messages' keys). */
  readonly keys: ReadonlySet<string>;
  /** Its events. */
  readonly total: number;
}

/**
 * Appends EVENTS_PER_AGGREGATE events to each of `aggregates` new aggregates, then waits out the confidence window,
 * so that a relay started next finds the whole backlog readable at once.
 */
export async function readableBacklog(fixture: RelayFixture, aggregates: number): Promise<Backlog> {
  const ids = Array.from({ length: aggregates }, () => randomUUID());
  for (let index = 0; index < ids.length; index += 32) {
    await Promise.all(ids.slice(index, index + 32).map((id) => fixture.append(id, 0, EVENTS_PER_AGGREGATE)));
  }
  await sleep(CONFIDENCE_WINDOW_MS + 1_000);
  return { keys: new Set(ids), total: ids.length * EVENTS_PER_AGGREGATE };
}

export interface PublishedRecords {
  readonly messages: OutboundMessage[];
  /** Each record's create timestamp (ms), set by the producer when it built the batch. */
  readonly timestamps: number[];
}

/** The `total` records of `topic` whose key is one of `keys` (all of them when absent). */
export async function readRecords(fixture: RelayFixture, topic: string, total: number, keys?: ReadonlySet<string>): Promise<PublishedRecords> {
  const records: PublishedRecords = { messages: [], timestamps: [] };
  const consumer = fixture.kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const key = String(message.key);
        if (keys && !keys.has(key)) return;
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        records.messages.push({ topic: '', key, value: message.value ?? '', headers });
        records.timestamps.push(Number(message.timestamp));
        if (records.messages.length === total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return records;
}

/**
 * End-to-end latency at a steady rate of single-event appends to new aggregates: append acknowledged → message
 * consumable on Kafka; also the relay's resident memory once a second.
 */
export async function latency(fixture: RelayFixture, relayPid: number, ratePerSecond = LATENCY_RATE_PER_SECOND, seconds = LATENCY_SECONDS) {
  const appendedAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = fixture.kafka.consumer({ groupId: `bench-latency-${randomUUID()}`, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: fixture.topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const { aggregateId, sequence } = JSON.parse(String(message.value)) as { aggregateId: string; sequence: number };
      const sent = appendedAt.get(`${aggregateId}:${sequence}`);
      if (sent !== undefined) latencies.push(performance.now() - sent);
    },
  });
  await sleep(2_000); // let the group settle before measuring
  const rss: number[] = [];
  const total = ratePerSecond * seconds;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (index % ratePerSecond === 0) rss.push(residentMemoryMiB(relayPid));
    const id = randomUUID();
    inFlight.push(fixture.append(id, 0, 1).then(() => void appendedAt.set(`${id}:1`, performance.now())));
  }
  await Promise.all(inFlight);
  for (let attempt = 0; attempt < 100 && latencies.length < total; attempt++) await sleep(100);
  await consumer.disconnect();
  return { total, received: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rss };
}
