import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TcpProxy, uniqueKeyspace } from '@scylla-es/es-core/testing';
import { serviceBehindProxy, type ServiceBehindProxy } from './support/behind-proxy';
import { MAIN_JS } from './support/child-service';
import { expectProblem } from './support/http';
import { items, registration } from './support/fixtures';
import { testEnvironment } from './support/service';

jest.setTimeout(240_000);

/** Polls until `check` holds; the driver reconnects on its own schedule (es-core's CQL client: at least once a second). */
async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not recovered within ${timeoutMs} ms`);
    await sleep(250);
  }
}

describe('database outage', () => {
  let behind: ServiceBehindProxy;

  beforeAll(async () => {
    behind = await serviceBehindProxy(uniqueKeyspace('cmdout'));
  }, 180_000);

  afterAll(async () => {
    await behind?.stop();
  });

  it('answers 503 + Retry-After while the database is unreachable, then recovers by itself', async () => {
    const { proxy, child, api } = behind;
    const customer = await api.post('/customers', registration());
    expect(customer.status).toBe(201);
    const customerId = String(customer.body.id);

    await proxy.stop();
    const key = `outage-${randomUUID()}`;
    const body = { customerId, items: items() };
    const during = await api.post('/orders', body, { headers: { 'Idempotency-Key': key } });
    const problem = expectProblem(during, 503, 'engine-unavailable');
    expect(problem.engine).toBe('database');
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(during.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|NoHostAvailable/);
    expectProblem(await api.get(`/customers/${customerId}`), 503, 'engine-unavailable');
    const ready = await fetch(`${child.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'down', checks: { database: { status: 'down' } } });
    expect((await fetch(`${child.url}/health/live`)).status).toBe(200);

    await proxy.start();
    await eventually(async () => (await fetch(`${child.url}/health/ready`)).status === 200, 120_000);
    let created = await api.post('/orders', body, { headers: { 'Idempotency-Key': key } });
    // The pool may come back a moment after the readiness query: a 503 here is still the outage.
    await eventually(async () => {
      if (created.status === 503) created = await api.post('/orders', body, { headers: { 'Idempotency-Key': key } });
      return created.status !== 503;
    }, 60_000);
    // The key of the failed attempt was not bound to the outage: the retry executes.
    expect(created.status).toBe(201);
    expect(created.headers.get('idempotent-replayed')).toBeNull();
    expect((await api.get(`/orders/${created.body.id}`)).body).toMatchObject({ status: 'Created', version: 1 });
  });

  it('stops at start-up, exit code 1, when the database cannot be reached', async () => {
    const unused = new TcpProxy('127.0.0.1', 1);
    await unused.start();
    const deadAddress = unused.address;
    await unused.stop();
    const process = spawn(globalThis.process.execPath, [MAIN_JS], {
      env: { PATH: globalThis.process.env.PATH, ...testEnvironment(uniqueKeyspace('cmddead'), { SCYLLA_NODES: deadAddress }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    process.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => process.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/command-service failed to start: NoHostAvailableError/);
  });

  it('stops at start-up naming the variable when the configuration is invalid', async () => {
    const process = spawn(globalThis.process.execPath, [MAIN_JS], {
      env: { PATH: globalThis.process.env.PATH, PORT: 'eighty', SNAPSHOT_EVERY: '0', AUTH_TOKENS: 'secret-token-value:root' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    process.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => process.once('exit', resolve))).toBe(1);
    expect(stderr).toMatch(/PORT: /);
    expect(stderr).toMatch(/SNAPSHOT_EVERY: /);
    expect(stderr).toMatch(/AUTH_TOKENS: entry 1/);
    expect(stderr).not.toContain('secret-token-value');
  });
});
