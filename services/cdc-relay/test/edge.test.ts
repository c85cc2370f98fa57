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
import { startCdcRelay, type RunningCdcRelay } from '../src';
import { collect, relayFixture, type RelayFixture } from './support/relay-fixture';

jest.setTimeout(300_000);

const TOKENS = { read: 'relay-reader-token-01', write: 'relay-writer-token-01', admin: 'relay-admin-token-01' };
/** The relay has no protected route: operational status is as open as health and metrics. */
const OPEN_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /status'];
/** Personal data a relayed event carries, none of which may reach a log line. */
const PERSON = { email: `edge.${randomUUID().slice(0, 8)}@example.com`, firstName: 'Zebulon', lastName: 'Quillfeather', street: '742 Evergreen Terrace' };

describe('the cdc-relay at its edge: open routes only, hostile input, slow clients, clean logs', () => {
  const logs = captureLogs('cdc-relay', 'debug');
  let fixture: RelayFixture;
  let relay: RunningCdcRelay;
  let routes: WalkedRoute[];

  beforeAll(async () => {
    fixture = await relayFixture('relayedge');
    const env = fixture.env({
      ...SHORT_SERVER_LIMITS,
      AUTH_TOKENS: `${TOKENS.read}:read,${TOKENS.write}:write,${TOKENS.admin}:admin`,
      LOG_LEVEL: 'debug',
    });
    relay = await startCdcRelay(env, { collectDefaultMetrics: false, logger: logs.logger });
    routes = routesOf(relay.app);
  }, 180_000);
  afterAll(async () => {
    await relay?.close();
    await fixture?.drop();
  });

  it('serves only the open routes, and a new route would have to be listed here', async () => {
    expect(await routeGuardFailures({ baseUrl: relay.url, routes, open: OPEN_ROUTES, tokens: TOKENS })).toEqual([]);
  });

  it('answers hostile requests without a 5xx or a stack trace, and stays up', async () => {
    const counts = await fuzzRoutes({ baseUrl: relay.url, routes, tokens: TOKENS, runs: 150 });
    console.log(`cdc-relay fuzz: ${describeCounts(counts)}`);
    expect((await fetch(`${relay.url}/health/live`)).status).toBe(200);
  });

  it('cuts slow clients with 408, sheds a connection flood, and serves as before', async () => {
    // The relay takes no bodies, but a POST's body is read (and limited) before its route is looked up.
    const report = await abuseServer(relay.url, { method: 'POST', path: '/status' });
    console.log(`cdc-relay: ${describeAbuse(report)}`);
    expect(abuseFailures(report)).toEqual([]);
    expect((await fetch(`${relay.url}/status`)).status).toBe(200);
  });

  it('logs no personal data of the events it relays, at debug level', async () => {
    const received = await collect(fixture.kafka, fixture.topic);
    const aggregateId = randomUUID();
    await fixture.append(aggregateId, 0, 3, { padding: JSON.stringify(PERSON) });
    await eventually(() => expect(received.received.filter((event) => event.aggregateId === aggregateId)).toHaveLength(3), 60_000, 200);
    await received.stop();

    const lines = logs.lines();
    expect(lines.some((line) => line.includes('"level":"debug"'))).toBe(true);
    const secrets = [...Object.values(TOKENS), ...Object.values(PERSON)];
    expect(leaksOf(lines, secrets)).toEqual([]);
  });
});
