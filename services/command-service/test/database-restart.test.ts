import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '@scylla-es/es-core';
import { CQL_READ_TIMEOUT_MS, CQL_RECONNECTION_MAX_DELAY_MS, createCqlClient, cqlConfigShape } from '@scylla-es/es-core/cql';
import { eventually, testEngines, uniqueKeyspace } from '@scylla-es/es-core/testing';
import { apiClient, PROBLEM_BASE, type ApiClient } from './support/http';
import { ensureBuilt, spawnService, type ChildService } from './support/child-service';
import { registerCustomer } from './support/fixtures';
import { observeAnswer, startOrderLoad, type ObservedAnswer } from './support/order-load';
import { dropKeyspace, testEnvironment, waitForEngine } from './support/service';
import { storedEvents } from './support/store';

jest.setTimeout(900_000);

const RESTARTS = 2;
const WRITERS = 4;
/** Load before the first kill and after each recovery, so every outage strikes a service that is busy writing. */
const LOAD_MS = 3_000;
/** The database stays dead this long before it is started again: the outage's answers and readiness are seen. */
const DEAD_MS = 3_000;
const READINESS_PROBE_INTERVAL_MS = 250;
/**
 * The driver fails a CQL request at its read timeout at the latest (a dead local node fails it at once); the margin
 * is for the HTTP hop on a busy machine. An answer later than this is a hang.
 */
const ANSWER_BOUND_MS = CQL_READ_TIMEOUT_MS + 3_000;
/**
 * Once the database answers CQL, the driver's next reconnection attempt is at most its longest delay away (its
 * jitter only shortens that delay); 1.5 s more covers opening the pool, re-preparing the statements and the
 * command's own round trips. This is the claim the reconnection policy in es-core's CQL client exists to keep.
 */
const RECOVERY_BOUND_MS = CQL_RECONNECTION_MAX_DELAY_MS + 1_500;

const OUTAGE_PROBLEMS = new Set([`${PROBLEM_BASE}engine-unavailable`, `${PROBLEM_BASE}write-outcome-unknown`]);

interface Restart {
  readonly killedAt: number;
  /** Until then the database is certainly dead: its start had not begun. */
  readonly startCalledAt: number;
  /** When startDatabase() resolved: the database answers CQL again. */
  readonly answersCqlAt: number;
  readonly firstServedAt: number;
  readonly readyAt: number;
}

const isSuccess = (answer: ObservedAnswer): boolean => typeof answer.status === 'number' && answer.status < 300;

/** A 503 problem naming the outage, with a Retry-After a client can act on. */
const isOutageProblem = (answer: ObservedAnswer): boolean =>
  answer.status === 503 &&
  /^application\/problem\+json/.test(answer.contentType ?? '') &&
  Number(answer.retryAfter) > 0 &&
  OUTAGE_PROBLEMS.has(String(answer.problemType));

const describeAnswer = (answer: ObservedAnswer): string =>
  `${answer.route} → ${answer.status} ${String(answer.problemType ?? '')} (Retry-After ${answer.retryAfter ?? 'none'}) ` +
  `in ${answer.answeredAt - answer.sentAt} ms`;

const within = (answers: readonly ObservedAnswer[], from: number, until: number): ObservedAnswer[] =>
  answers.filter((answer) => answer.sentAt >= from && answer.answeredAt <= until);

/** When the first answer sent after `since` that `holds` came. */
async function firstAnswerAfter(answers: readonly ObservedAnswer[], since: number, holds: (answer: ObservedAnswer) => boolean): Promise<number> {
  let found: ObservedAnswer | undefined;
  await eventually(() => {
    found = answers.find((answer) => answer.sentAt >= since && holds(answer));
    expect(found).toBeDefined();
  }, 120_000, 50);
  return found?.answeredAt ?? Number.NaN;
}

/** Asks /health/ready every READINESS_PROBE_INTERVAL_MS until stopped. */
function probeReadiness(api: ApiClient): { readonly answers: readonly ObservedAnswer[]; stop(): Promise<void> } {
  const answers: ObservedAnswer[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      await observeAnswer(answers, 'GET /health/ready', ANSWER_BOUND_MS, (signal) => api.get('/health/ready', { token: null, signal }));
      await sleep(READINESS_PROBE_INTERVAL_MS);
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

// The service runs as its own process, as in the outage test: the driver keeps reconnection timers after an outage
// that would hold an in-process test runner, and a SIGKILLed database must not take the test's own clients along.
describe('the command-service across database restarts under REST load', () => {
  const engines = testEngines();
  const keyspace = uniqueKeyspace('cmdrestart');
  let child: ChildService;
  let api: ApiClient;

  beforeAll(async () => {
    await ensureBuilt();
    await waitForEngine();
    child = await spawnService(testEnvironment(keyspace));
    api = apiClient(child.url);
  }, 180_000);

  afterAll(async () => {
    // A failed run may have left the database dead; the other suites share it.
    await engines.startDatabase();
    if (child && child.process.exitCode === null) {
      child.process.kill('SIGTERM');
      await child.exited;
    }
    await dropKeyspace(keyspace);
  });

  it('answers fast 503s while the database is down and serves again soon after it answers, losing no acknowledged command', async () => {
    const customerId = await registerCustomer(api);
    const load = startOrderLoad(api, customerId, WRITERS, ANSWER_BOUND_MS);
    const readiness = probeReadiness(api);
    const restarts: Restart[] = [];
    try {
      await sleep(LOAD_MS);
      for (let round = 0; round < RESTARTS; round++) {
        await engines.killDatabase();
        const killedAt = Date.now();
        await sleep(DEAD_MS);
        const startCalledAt = Date.now();
        await engines.startDatabase();
        const answersCqlAt = Date.now();
        const firstServedAt = await firstAnswerAfter(load.answers, killedAt, isSuccess);
        const readyAt = await firstAnswerAfter(readiness.answers, killedAt, (answer) => answer.status === 200);
        restarts.push({ killedAt, startCalledAt, answersCqlAt, firstServedAt, readyAt });
        await sleep(LOAD_MS);
      }
    } finally {
      await Promise.all([load.stop(), readiness.stop()]);
    }

    // Throughout: a success or a 503 problem with Retry-After, never a 500, another 5xx or a hang.
    const wrong = load.answers.filter(
      (answer) => !(isSuccess(answer) || isOutageProblem(answer)) || answer.answeredAt - answer.sentAt > ANSWER_BOUND_MS,
    );
    expect(wrong.map(describeAnswer)).toEqual([]);

    restarts.forEach((restart, round) => {
      const outage = within(load.answers, restart.killedAt, restart.startCalledAt);
      expect(outage.length).toBeGreaterThan(0);
      expect(outage.filter((answer) => answer.status !== 503).map(describeAnswer)).toEqual([]);
      const readinessDuringOutage = within(readiness.answers, restart.killedAt, restart.startCalledAt);
      expect(readinessDuringOutage.length).toBeGreaterThan(0);
      expect(readinessDuringOutage.filter((answer) => answer.status !== 503).map(describeAnswer)).toEqual([]);
      const servedAfterMs = restart.firstServedAt - restart.answersCqlAt;
      // Everything answered from the kill until the first success: 503s only, as checked above for every answer.
      const unserved = within(load.answers, restart.killedAt, restart.firstServedAt - 1);
      const slowestUnservedMs = Math.max(...unserved.map((answer) => answer.answeredAt - answer.sentAt));
      // Readiness may turn before startDatabase() notices the database (it polls): a negative figure.
      console.log(
        `database restart ${round + 1}/${RESTARTS}: first 2xx ${servedAfterMs} ms after the database answered CQL again ` +
          `(bound ${RECOVERY_BOUND_MS} ms), ready after ${restart.readyAt - restart.answersCqlAt} ms; ` +
          `down for ${restart.answersCqlAt - restart.killedAt} ms, ${unserved.length} answers meanwhile, all 503, ` +
          `the slowest in ${slowestUnservedMs} ms`,
      );
      expect(servedAfterMs).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
    });

    // No acknowledged command lost: each acknowledged order holds at least as many events as its acknowledged version.
    expect(load.acknowledged.size).toBeGreaterThan(0);
    const cql = createCqlClient(loadConfig(cqlConfigShape, testEnvironment(keyspace)));
    try {
      const storedPerOrder = new Map<string, number>();
      for (const event of await storedEvents(cql, keyspace)) {
        storedPerOrder.set(event.aggregateId, (storedPerOrder.get(event.aggregateId) ?? 0) + 1);
      }
      const lost = [...load.acknowledged]
        .filter(([orderId, version]) => (storedPerOrder.get(orderId) ?? 0) < version)
        .map(([orderId, version]) => `${orderId}: acknowledged version ${version}, ${storedPerOrder.get(orderId) ?? 0} events stored`);
      expect(lost).toEqual([]);
      console.log(`${load.acknowledged.size} orders acknowledged across ${RESTARTS} database restarts, every acknowledged event stored`);
    } finally {
      await cql.shutdown();
    }
  });
});
