import { randomUUID } from 'node:crypto';
import {
  abuseFailures,
  abuseServer,
  captureLogs,
  describeAbuse,
  describeCounts,
  fuzzRoutes,
  leaksOf,
  routeGuardFailures,
  routesOf,
  SHORT_SERVER_LIMITS,
  type WalkedRoute,
} from '@scylla-es/es-core/testing';
import { apiClient, type ApiClient } from './support/http';
import { createOrder, registerCustomer } from './support/fixtures';
import { startTestService, TOKENS, type TestService } from './support/service';

jest.setTimeout(300_000);

const SCOPE_TOKENS = { read: TOKENS.reader, write: TOKENS.writer, admin: TOKENS.admin };
const OPEN_ROUTES = ['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json'];
/** Personal data the traffic below carries, none of which may reach a log line. */
const PERSON = {
  email: `edge.${randomUUID().slice(0, 8)}@example.com`,
  firstName: 'Zebulon',
  lastName: 'Quillfeather',
  phone: '+1 555 0142',
  street: '742 Evergreen Terrace',
};

describe('the command-service at its edge: auth on every route, hostile input, slow clients, clean logs', () => {
  const logs = captureLogs('command-service', 'debug');
  let test: TestService;
  let api: ApiClient;
  let routes: WalkedRoute[];
  let ids: { customer: string; order: string };

  beforeAll(async () => {
    test = await startTestService(
      'cmdedge',
      SHORT_SERVER_LIMITS,
      logs.logger,
    );
    api = apiClient(test.url);
    routes = routesOf(test.service.app);
    const customer = await registerCustomer(api);
    ids = { customer, order: await createOrder(api, customer) };
  }, 180_000);
  afterAll(async () => test?.stop());

  it('answers 401 without a valid token and 403 without the scope on every route but the open ones', async () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(await routeGuardFailures({ baseUrl: test.url, routes, open: OPEN_ROUTES, tokens: SCOPE_TOKENS })).toEqual([]);
  });

  it('answers hostile requests with 4xx problems, never a 5xx or a stack trace, and stays ready', async () => {
    const counts = await fuzzRoutes({
      baseUrl: test.url,
      routes,
      tokens: SCOPE_TOKENS,
      validParam: (param, route) => (param === 'id' ? (route.path.startsWith('/orders') ? ids.order : ids.customer) : randomUUID()),
    });
    console.log(`command-service fuzz: ${describeCounts(counts)}`);
    expect((await fetch(`${test.url}/health/ready`)).status).toBe(200);
  });

  it('cuts slow clients with 408, sheds a connection flood, and serves as before', async () => {
    const report = await abuseServer(test.url, { method: 'POST', path: '/orders', headers: { authorization: `Bearer ${TOKENS.writer}` } });
    console.log(`command-service: ${describeAbuse(report)}`);
    expect(abuseFailures(report)).toEqual([]);
    expect((await fetch(`${test.url}/health/ready`)).status).toBe(200);
    expect((await api.get(`/orders/${ids.order}`)).status).toBe(200);
  });

  it('logs neither tokens nor personal data, at debug level', async () => {
    const customer = await api.post('/customers', { email: PERSON.email, firstName: PERSON.firstName, lastName: PERSON.lastName, phone: PERSON.phone });
    expect(customer.status).toBe(201);
    const id = String(customer.body.id);
    const address = { street: PERSON.street, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' };
    expect((await api.post(`/customers/${id}/addresses`, { addressId: randomUUID(), address, setAsDefault: true })).status).toBe(200);
    // Rejected requests carry the data too: a duplicate email, a bad address, a token in the wrong place.
    expect((await api.post('/customers', { email: PERSON.email, firstName: PERSON.firstName, lastName: PERSON.lastName })).status).toBe(409);
    expect((await api.post(`/customers/${id}/addresses`, { addressId: randomUUID(), address: { ...address, unexpected: PERSON.email } })).status).toBe(400);
    expect((await api.get(`/customers/${id}?access_token=${TOKENS.admin}`)).status).toBeGreaterThanOrEqual(200);
    expect((await api.get(`/customers/${id}`, { token: null, headers: { authorization: `Bearer ${TOKENS.writer}x` } })).status).toBe(401);
    expect((await api.get(`/customers/${id}`)).body.email).toBe(PERSON.email);

    const lines = logs.lines();
    expect(lines.some((line) => line.includes('"level":"debug"') || line.includes('"level":"info"'))).toBe(true);
    const secrets = [...Object.values(TOKENS), ...Object.values(PERSON)];
    expect(leaksOf(lines, secrets)).toEqual([]);
  });
});
