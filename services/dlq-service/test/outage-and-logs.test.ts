import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, TcpProxy } from '@scylla-es/es-core/testing';
import { api } from './support/api';
import { ADMIN_TOKEN, dlqFixture, engines, eventMessageOf, orderEvent, poisonDeadLetter, READ_TOKEN, type DlqFixture } from './support/dlq-fixture';

jest.setTimeout(240_000);

const PORT = 3_800 + Math.floor(Math.random() * 100);
const LETTERS = 30;

/** The sum of a series in a Prometheus text exposition, every label combination together. */
function metricTotal(exposition: string, name: string): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

// The service runs as its own process, as in production, behind a TCP proxy that cuts it off from the database;
// its log lines (stdout) are kept to look for tokens in them.
describe('database outage and logs', () => {
  let fixture: DlqFixture;
  let proxy: TcpProxy;
  let service: ChildProcess | undefined;
  const logs: string[] = [];
  const base = `http://127.0.0.1:${PORT}`;
  const scrape = async () => (await fetch(`${base}/metrics`)).text();

  beforeAll(async () => {
    fixture = await dlqFixture('dlqoutage');
    const [host = '127.0.0.1', port = '9042'] = (engines.cqlContactPoints[0] ?? '').split(':');
    proxy = new TcpProxy(host, Number(port));
    await proxy.start();
    service = fork(path.join(__dirname, '..', 'dist', 'main.js'), [], {
      env: fixture.env({ SCYLLA_NODES: proxy.address, PORT: String(PORT), LOG_LEVEL: 'debug', KAFKA_LOG_LEVEL: 'debug' }),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [service.stdout, service.stderr]) stream?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    await eventually(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), 90_000, 250);
  });
  afterAll(async () => {
    await proxy?.start().catch(() => undefined);
    if (service && service.exitCode === null) {
      await new Promise<void>((resolve) => {
        service!.once('exit', () => resolve());
        service!.kill('SIGTERM');
      });
    }
    await proxy?.stop();
    await fixture?.drop();
  });

  it('loses no dead letter that arrives while the database is unreachable', async () => {
    const aggregateIds = Array.from({ length: LETTERS }, () => randomUUID());
    await proxy.stop();
    await fixture.sendDeadLetters(aggregateIds.map((id) => poisonDeadLetter(fixture.deadLetterTopic, eventMessageOf(orderEvent(fixture.eventTopic, id, 1)))));
    await eventually(async () => {
      const metrics = await scrape();
      expect(metricTotal(metrics, 'dlq_ingest_failures_total')).toBeGreaterThan(0);
      expect(metricTotal(metrics, 'dlq_consumer_paused_partitions')).toBeGreaterThan(0);
    }, 60_000, 250);
    expect((await fetch(`${base}/health/ready`)).status).toBe(503);
    expect((await api(base, READ_TOKEN)('GET', '/dlq/stats')).status).toBe(503);
    await sleep(5_000);

    await proxy.start();
    const read = api(base, READ_TOKEN);
    await eventually(async () => expect((await read('GET', '/dlq/stats')).body.byStatus.parked).toBe(LETTERS), 120_000, 500);
    for (const id of aggregateIds) expect((await read('GET', `/dlq/messages?aggregateId=${id}`)).body.messages).toHaveLength(1);
    expect(metricTotal(await scrape(), 'dlq_messages_ingested_total')).toBe(LETTERS);
    await eventually(async () => expect(metricTotal(await scrape(), 'dlq_consumer_paused_partitions')).toBe(0), 30_000, 250);
  });

  it('never writes a token to its logs, whether valid, unknown or refused', async () => {
    const unknown = `unknown-${randomUUID()}`;
    const read = api(base, READ_TOKEN);
    const [letter] = (await read('GET', '/dlq/messages?limit=1')).body.messages;
    await read('GET', '/dlq/messages');
    await read('POST', `/dlq/messages/${letter.id}/discard`, { reason: 'a reader may not' });
    await api(base, unknown)('GET', '/dlq/stats');
    await api(base, ADMIN_TOKEN)('POST', `/dlq/messages/${letter.id}/discard`, { reason: 'checked by the log test' });
    await api(base, ADMIN_TOKEN)('POST', `/dlq/messages/${letter.id}/discard`, {});
    await eventually(() => expect(logs.join('')).toContain('/discard'), 10_000, 100);
    const written = logs.join('');
    expect(written.length).toBeGreaterThan(0);
    for (const token of [READ_TOKEN, ADMIN_TOKEN, unknown]) expect(written).not.toContain(token);
  });
});
