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
import { startProjector, type RunningProjector } from '../src';
import { orderLife } from './support/histories';
import { ADMIN_TOKEN, projectorFixture, READ_TOKEN, WRITE_TOKEN, type ProjectorFixture } from './support/projector-fixture';

jest.setTimeout(300_000);

const TOKENS = { read: READ_TOKEN, write: WRITE_TOKEN, admin: ADMIN_TOKEN };
const OPEN_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics'];
/** Personal data the projected events carry, none of which may reach a log line. */
const PERSON = { email: `edge.${randomUUID().slice(0, 8)}@example.com`, firstName: 'Zebulon', lastName: 'Quillfeather', street: '742 Evergreen Terrace' };

describe('the projector at its edge: auth on every route, hostile input, slow clients, clean logs', () => {
  const logs = captureLogs('projector', 'debug');
  let fixture: ProjectorFixture;
  let projector: RunningProjector;
  let routes: WalkedRoute[];
  const customerId = randomUUID();
  const orderId = randomUUID();

  beforeAll(async () => {
    fixture = await projectorFixture('projedge');
    projector = await startProjector(fixture.env(SHORT_SERVER_LIMITS), { collectDefaultMetrics: false, logger: logs.logger });
    routes = routesOf(projector.app);
    const registered = {
      type: 'CustomerRegistered',
      data: { customerId, email: PERSON.email, firstName: PERSON.firstName, lastName: PERSON.lastName, registeredAt: new Date() },
    };
    const address = {
      type: 'CustomerAddressAdded',
      data: { addressId: randomUUID(), address: { street: PERSON.street, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' }, isDefault: true, addedAt: new Date() },
    };
    await fixture.publish(await fixture.append('Customer', customerId, 0, [registered, address]));
    await fixture.publish(await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, ['created'])));
    const read = (path: string) => fetch(`${projector.url}${path}`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    await eventually(async () => expect((await read(`/customers/${customerId}`)).status).toBe(200), 60_000, 200);
  }, 180_000);
  afterAll(async () => {
    await projector?.close();
    await fixture?.drop();
  });

  it('answers 401 without a valid token and 403 without the scope on every route but the open ones', async () => {
    expect(routes.length).toBeGreaterThan(5);
    expect(await routeGuardFailures({ baseUrl: projector.url, routes, open: OPEN_ROUTES, tokens: TOKENS })).toEqual([]);
  });

  it('answers hostile requests with 4xx problems, never a 5xx or a stack trace, and stays ready', async () => {
    const counts = await fuzzRoutes({
      baseUrl: projector.url,
      routes,
      tokens: TOKENS,
      // Projection names are left hostile: a valid one would start real rebuilds.
      validParam: (param, route) => (param === 'id' ? (route.path.startsWith('/orders') ? orderId : customerId) : 'no-such-projection'),
    });
    console.log(`projector fuzz: ${describeCounts(counts)}`);
    expect((await fetch(`${projector.url}/health/ready`)).status).toBe(200);
  });

  it('cuts slow clients with 408, sheds a connection flood, and serves as before', async () => {
    const report = await abuseServer(projector.url, {
      method: 'POST',
      path: '/admin/projections/orders/rebuild',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    console.log(`projector: ${describeAbuse(report)}`);
    expect(abuseFailures(report)).toEqual([]);
    expect((await fetch(`${projector.url}/health/ready`)).status).toBe(200);
  });

  it('logs neither tokens nor personal data, at debug level', async () => {
    const read = (path: string, token: string) => fetch(`${projector.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const customer = (await (await read(`/customers/${customerId}`, READ_TOKEN)).json()) as { email?: string };
    expect(customer.email).toBe(PERSON.email);
    expect((await read(`/customers/${customerId}/orders`, `${ADMIN_TOKEN}x`)).status).toBe(401);
    expect((await read(`/admin/projections`, WRITE_TOKEN)).status).toBe(403);
    expect((await fetch(`${projector.url}/customers/${customerId}?access_token=${ADMIN_TOKEN}`)).status).toBe(401);

    const lines = logs.lines();
    expect(lines.length).toBeGreaterThan(0);
    const secrets = [...Object.values(TOKENS), ...Object.values(PERSON)];
    expect(leaksOf(lines, secrets)).toEqual([]);
  });
});
