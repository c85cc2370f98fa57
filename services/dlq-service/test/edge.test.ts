import { randomUUID } from 'node:crypto';
import {
  abuseFailures,
  abuseServer,
  captureLogs,
  describeAbuse,
  describeCounts,
  eventually,
  fuzzRoutes,
  leaksOf,
  routeGuardFailures,
  routesOf,
  SHORT_SERVER_LIMITS,
  type WalkedRoute,
} from '@scylla-es/es-core/testing';
import { startDlqService, type RunningDlqService } from '../src';
import { api } from './support/api';
import { ADMIN_TOKEN, dlqFixture, eventMessageOf, orderEvent, poisonDeadLetter, READ_TOKEN, type DlqFixture } from './support/dlq-fixture';

jest.setTimeout(300_000);

const WRITE_TOKEN = 'dlq-writer-token-8901';
const TOKENS = { read: READ_TOKEN, write: WRITE_TOKEN, admin: ADMIN_TOKEN };
const OPEN_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics'];
/** Personal data a dead-lettered event carries, none of which may reach a log line. */
const PERSON = { email: `edge.${randomUUID().slice(0, 8)}@example.com`, firstName: 'Zebulon', lastName: 'Quillfeather', street: '742 Evergreen Terrace' };

describe('the dlq-service at its edge: auth on every route, hostile input, slow clients, clean logs', () => {
  const logs = captureLogs('dlq-service', 'debug');
  let fixture: DlqFixture;
  let dlq: RunningDlqService;
  let routes: WalkedRoute[];
  let letterId: string;

  beforeAll(async () => {
    fixture = await dlqFixture('dlqedge');
    const env = fixture.env({ ...SHORT_SERVER_LIMITS, AUTH_TOKENS: `reader:${READ_TOKEN}:read,writer:${WRITE_TOKEN}:write,alice:${ADMIN_TOKEN}:admin` });
    dlq = await startDlqService(env, { collectDefaultMetrics: false, logger: logs.logger });
    routes = routesOf(dlq.app);
    const event = { ...orderEvent(fixture.eventTopic, randomUUID(), 1, 'OrderCreated'), data: { customer: PERSON } };
    await fixture.sendDeadLetters([poisonDeadLetter(fixture.deadLetterTopic, eventMessageOf(event))]);
    const read = api(dlq.url, READ_TOKEN);
    await eventually(async () => expect((await read('GET', '/dlq/messages')).body.messages).toHaveLength(1), 60_000, 200);
    letterId = String((await read('GET', '/dlq/messages')).body.messages[0].id);
  }, 180_000);
  afterAll(async () => {
    await dlq?.close();
    await fixture?.drop();
  });

  it('answers 401 without a valid token and 403 without the scope on every route but the open ones', async () => {
    expect(routes.length).toBeGreaterThan(5);
    expect(await routeGuardFailures({ baseUrl: dlq.url, routes, open: OPEN_ROUTES, tokens: TOKENS })).toEqual([]);
  });

  it('answers hostile requests with 4xx problems, never a 5xx or a stack trace, and stays ready', async () => {
    // Unknown message ids: a valid one would let a hostile case replay or discard the real letter.
    const counts = await fuzzRoutes({ baseUrl: dlq.url, routes, tokens: TOKENS });
    console.log(`dlq-service fuzz: ${describeCounts(counts)}`);
    expect((await fetch(`${dlq.url}/health/ready`)).status).toBe(200);
  });

  it('cuts slow clients with 408, sheds a connection flood, and serves as before', async () => {
    const report = await abuseServer(dlq.url, { method: 'POST', path: '/dlq/replay', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    console.log(`dlq-service: ${describeAbuse(report)}`);
    expect(abuseFailures(report)).toEqual([]);
    expect((await fetch(`${dlq.url}/health/ready`)).status).toBe(200);
  });

  it('logs neither tokens nor personal data, at debug level', async () => {
    const letter = await api(dlq.url, READ_TOKEN)('GET', `/dlq/messages/${letterId}`);
    expect(JSON.stringify(letter.body)).toContain(PERSON.email);
    expect((await api(dlq.url, `${ADMIN_TOKEN}x`)('GET', '/dlq/stats')).status).toBe(401);
    expect((await api(dlq.url, WRITE_TOKEN)('POST', `/dlq/messages/${letterId}/discard`, { reason: PERSON.email })).status).toBe(403);
    expect((await fetch(`${dlq.url}/dlq/stats?access_token=${ADMIN_TOKEN}`)).status).toBe(401);

    const lines = logs.lines();
    expect(lines.length).toBeGreaterThan(0);
    const secrets = [...Object.values(TOKENS), ...Object.values(PERSON)];
    expect(leaksOf(lines, secrets)).toEqual([]);
  });
});
