import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiClient, type ApiClient } from './support/http';
import { createOrder, registerCustomer } from './support/fixtures';
import { seededRandom } from './support/random';
import { startTestService, TOKENS, type TestService } from './support/service';
import { settledStore, type StoredEvent } from './support/store';

jest.setTimeout(300_000);

const SEED = 20_251_127;
const REQUESTS = 300;
const CONCURRENCY = 24;

interface Shot {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly orderId: string;
  /** How the client gives up: not at all, AbortController after a delay, or a socket destroyed mid-upload. */
  readonly abort: 'none' | 'signal' | 'socket';
  readonly delayMs: number;
  outcome?: { status: number; body: Record<string, unknown> } | 'aborted';
}

/** Sends headers and part of the body, waits, then destroys the socket: the server sees a truncated request. */
function destroyMidRequest(baseUrl: string, shot: Shot): Promise<void> {
  const url = new URL(shot.path, baseUrl);
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: shot.method,
      agent: false,
      headers: {
        authorization: `Bearer ${TOKENS.writer}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(shot.body),
        'idempotency-key': shot.key,
      },
    });
    request.on('error', () => resolve());
    request.on('close', () => resolve());
    request.write(shot.body.slice(0, Math.floor(shot.body.length / 2)));
    setTimeout(() => request.destroy(), shot.delayMs);
  });
}

async function fire(baseUrl: string, shot: Shot): Promise<void> {
  if (shot.abort === 'socket') {
    await destroyMidRequest(baseUrl, shot);
    shot.outcome = 'aborted';
    return;
  }
  const controller = new AbortController();
  const timer = shot.abort === 'signal' ? setTimeout(() => controller.abort(), shot.delayMs) : undefined;
  try {
    const response = await fetch(`${baseUrl}${shot.path}`, {
      method: shot.method,
      headers: { authorization: `Bearer ${TOKENS.writer}`, 'content-type': 'application/json', 'idempotency-key': shot.key },
      body: shot.body,
      signal: controller.signal,
    });
    const text = await response.text();
    shot.outcome = { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    shot.outcome = 'aborted';
  } finally {
    clearTimeout(timer);
  }
}

describe('crash safety: clients that give up at random points', () => {
  let test: TestService;
  let api: ApiClient;

  beforeAll(async () => {
    test = await startTestService('cmdcrash');
    api = apiClient(test.url);
  }, 180_000);
  afterAll(async () => test?.stop());

  /** Every claimed key ends completed or forgotten once the server finished the requests it had accepted. */
  async function serverIdle(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await test.cql.execute(`SELECT status FROM ${test.keyspace}.command_idempotency`, [], { prepare: true, fetchSize: 100_000 });
      if (rows.rows.every((row) => row.get('status') === 'completed')) return;
      if (Date.now() > deadline) throw new Error('requests still pending on the server');
      await sleep(200);
    }
  }

  it('leaves every command all-or-nothing, the CDC log in step, and a retry with the key exactly-once', async () => {
    const random = seededRandom(SEED);
    const customerId = await registerCustomer(api);
    const orders: string[] = [];
    for (let index = 0; index < 8; index++) orders.push(await createOrder(api, customerId));

    const shots: Shot[] = Array.from({ length: REQUESTS }, (_, index) => {
      const orderId = random.pick(orders);
      const roll = random.next();
      const [path, body] =
        roll < 0.85
          ? [`/orders/${orderId}/items`, { items: [{ productId: random.uuid(), quantity: random.int(1, 50) }] }]
          : roll < 0.95
            ? [`/orders/${orderId}/confirm`, {}]
            : [`/orders/${orderId}/cancel`, { reason: `chaos ${index}` }];
      const abortRoll = random.next();
      return {
        key: `chaos-${SEED}-${index}`,
        method: path.endsWith('/items') ? 'PUT' : 'POST',
        path,
        body: JSON.stringify(body),
        orderId,
        abort: abortRoll < 0.3 ? 'none' : abortRoll < 0.8 ? 'signal' : 'socket',
        delayMs: random.int(0, 40),
      };
    });

    const queue = [...shots];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let shot = queue.shift(); shot; shot = queue.shift()) await fire(test.url, shot);
      }),
    );
    await serverIdle();

    const check = async () => {
      const { stored, violations } = await settledStore(test.cql, test.keyspace);
      expect(violations).toEqual([]);
      const byKey = new Map<string, StoredEvent[]>();
      for (const event of stored) {
        if (event.commandId) byKey.set(event.commandId, [...(byKey.get(event.commandId) ?? []), event]);
      }
      for (const shot of shots) {
        const own = byKey.get(shot.key) ?? [];
        // Each of these commands decides exactly one event: all of it is there, or nothing.
        expect(own.length).toBeLessThanOrEqual(1);
        if (shot.outcome !== 'aborted' && shot.outcome) {
          if (shot.outcome.status === 200) {
            expect(own.map((event) => [event.aggregateId, event.sequence])).toEqual([[shot.orderId, shot.outcome.body.version]]);
          } else {
            expect([409, 412]).toContain(shot.outcome.status);
            expect(own).toEqual([]);
          }
        }
      }
      return byKey;
    };
    const committedBeforeRetry = await check();
    if (process.env.DEBUG_TESTS) {
      const aborted = shots.filter((shot) => shot.outcome === 'aborted');
      const committed = aborted.filter((shot) => committedBeforeRetry.has(shot.key)).length;
      console.log(`aborted ${aborted.length}/${REQUESTS}, of which committed anyway: ${committed}`);
    }

    // Every abandoned request retried with its key: executed at most once overall, answered consistently.
    const abandoned = shots.filter((shot) => shot.outcome === 'aborted');
    expect(abandoned.length).toBeGreaterThan(REQUESTS / 3);
    for (const shot of abandoned) {
      shot.outcome = undefined;
      Object.assign(shot, { abort: 'none' });
    }
    const retryQueue = [...abandoned];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let shot = retryQueue.shift(); shot; shot = retryQueue.shift()) await fire(test.url, shot);
      }),
    );
    await serverIdle();
    const byKey = await check();
    for (const shot of abandoned) {
      if (shot.outcome === 'aborted' || !shot.outcome) throw new Error(`retry of ${shot.key} failed`);
      if (shot.outcome.status === 200) expect(byKey.get(shot.key)).toHaveLength(1);
    }
    const health = await fetch(`${test.url}/health/ready`);
    expect(health.status).toBe(200);
  });
});
