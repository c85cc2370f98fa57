import { setTimeout as sleep } from 'node:timers/promises';
import { DeadLetterSender } from '../../src/kafka/dead-letter';
import type { OutboundMessage } from '../../src/kafka/event-publisher';
import { KafkaEventPublisher } from '../../src/kafka/kafka-event-publisher';
import { ResilientPublisher } from '../../src/kafka/resilient-publisher';
import { ensureTopics } from '../../src/kafka/topic-admin';
import { CircuitState } from '../../src/core/resilience/circuit-breaker';
import { testEngines } from '../../src/testing';
import { deleteTopics, eventMessage, readTopic, testKafka, testLogger, uniqueTopic } from './kafka-test-support';

/**
 * Stops the SHARED test broker for ~10 s while publishing. Kept short on purpose, and the broker is always
 * started again (finally), because other suites use it.
 */
const OUTAGE_MS = 10_000;

describe('publishing through a broker outage', () => {
  const kafka = testKafka('outage-test');
  const events = uniqueTopic('outage-events');
  const deadLetters = uniqueTopic('outage-dead-letters');
  const publisher = new KafkaEventPublisher(kafka, { logger: testLogger() });

  beforeAll(() => ensureTopics(kafka, [{ topic: events, partitions: 3 }, { topic: deadLetters, partitions: 1 }]));
  afterAll(async () => {
    await publisher.disconnect();
    await deleteTopics(kafka, [events, deadLetters]);
  });

  it('retries until the broker is back: nothing dead-lettered, nothing missing', async () => {
    const retries: string[] = [];
    let attemptStarted = Date.now();
    const circuit: CircuitState[] = [];
    const deadLettered: OutboundMessage[] = [];
    const resilient = new ResilientPublisher({
      publisher,
      deadLetters: new DeadLetterSender({ publisher, sourceService: 'cdc-relay', topic: deadLetters }),
      signal: new AbortController().signal,
      backoff: { initialDelayMs: 200, maxDelayMs: 2_000 },
      circuitBreaker: { failureThreshold: 3, cooldownMs: 2_000 },
      observer: {
        onRetry: (_attempt, error) => void retries.push(`${Date.now() - attemptStarted} ms: ${String(error).slice(0, 90)}`),
        onCircuitStateChange: (state) => void circuit.push(state),
        onDeadLettered: (message) => void deadLettered.push(message),
      },
      logger: testLogger(),
    });

    const sent: OutboundMessage[] = [];
    let outageOver = false;
    let longestPublishMs = 0;
    const publishing = (async () => {
      let sequence = 0;
      const afterOutage = () => outageOver && Date.now() - restartedAt > 3_000;
      while (!afterOutage()) {
        sequence += 1;
        const batch = Array.from({ length: 10 }, (_, index) => eventMessage(events, `agg-${index % 5}`, sequence * 2 + (index < 5 ? -1 : 0)));
        const started = Date.now();
        attemptStarted = started;
        await resilient.publish(batch);
        longestPublishMs = Math.max(longestPublishMs, Date.now() - started);
        sent.push(...batch);
        await sleep(100);
      }
    })();

    let restartedAt = Number.POSITIVE_INFINITY;
    const engines = testEngines();
    await sleep(1_500);
    const sentBeforeOutage = sent.length;
    try {
      await engines.stopKafka();
      await sleep(OUTAGE_MS);
    } finally {
      await engines.startKafka();
      restartedAt = Date.now();
      outageOver = true;
    }
    await publishing;

    const received = await readTopic(kafka, events, 60_000);
    const receivedIds = received.map((message) => message.headers['event-id']);
    const missing = sent.filter((message) => !receivedIds.includes(message.headers['event-id']));
    const duplicates = received.length - new Set(receivedIds).size;
    console.info(
      `outage: ${sent.length} events sent (${sentBeforeOutage} before the stop), ${received.length} read, ` +
        `${missing.length} missing, ${duplicates} duplicate(s), ${retries.length} retries, ` +
        `longest publish ${longestPublishMs} ms, circuit ${circuit.join(' → ')}\n  ${retries.join('\n  ')}`,
    );

    expect(sentBeforeOutage).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(sentBeforeOutage);
    expect(missing).toEqual([]);
    expect(deadLettered).toEqual([]);
    expect(await readTopic(kafka, deadLetters)).toEqual([]);
    expect(retries.length).toBeGreaterThan(0);
    expect(longestPublishMs).toBeGreaterThan(OUTAGE_MS / 2);
    expect(circuit).toContain(CircuitState.Open);
    expect(resilient.circuitState).toBe(CircuitState.Closed);
    // Per aggregate, first deliveries are in sequence order.
    for (let aggregate = 0; aggregate < 5; aggregate += 1) {
      const sequences = [...new Set(received.filter((m) => m.key === `agg-${aggregate}`).map((m) => Number(m.headers.sequence)))];
      expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
    }
  }, 240_000);
});
