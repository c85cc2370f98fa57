import { apiClient, PROBLEM_BASE, type ApiClient } from './support/http';
import { createOrder, registerCustomer } from './support/fixtures';
import { metricValue } from './support/metrics';
import { seededRandom, type Random } from './support/random';
import { startTestService, TOKENS, type TestService } from './support/service';

jest.setTimeout(300_000);

const SEED = Number(process.env.FUZZ_SEED ?? 424_242);
const CASES = Number(process.env.FUZZ_CASES ?? 3_000);
const CONCURRENCY = 12;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface RouteTemplate {
  readonly method: (typeof METHODS)[number];
  /** `:id` = an order or customer id, `:sub` = an address or payment-method id. */
  readonly path: string;
  readonly body?: (random: Random, ids: Ids) => { [key: string]: Json };
}

interface Ids {
  readonly orders: readonly string[];
  readonly customers: readonly string[];
}

const address = (random: Random) => ({ street: `${random.int(1, 99)} Main St`, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' });
const line = (random: Random) => ({ productId: random.uuid(), quantity: random.int(1, 10) });

const ROUTES: readonly RouteTemplate[] = [
  { method: 'POST', path: '/orders', body: (r, ids) => ({ customerId: r.pick(ids.customers), items: [line(r)] }) },
  { method: 'PUT', path: '/orders/:id/items', body: (r) => ({ items: [line(r), line(r)], reason: 'fuzz' }) },
  { method: 'POST', path: '/orders/:id/confirm', body: () => ({}) },
  { method: 'POST', path: '/orders/:id/ship', body: () => ({ trackingNumber: 'TRK', carrier: 'DHL' }) },
  { method: 'POST', path: '/orders/:id/deliver', body: () => ({ signature: 'sig' }) },
  { method: 'POST', path: '/orders/:id/cancel', body: () => ({ reason: 'r', cancelledBy: 'c' }) },
  { method: 'GET', path: '/orders/:id' },
  { method: 'GET', path: '/orders/:id/events' },
  { method: 'POST', path: '/customers', body: (r) => ({ email: `fuzz.${r.uuid()}@example.com`, firstName: 'F', lastName: 'Z', phone: '+1 555 0100' }) },
  { method: 'PATCH', path: '/customers/:id/profile', body: () => ({ firstName: 'New' }) },
  { method: 'PUT', path: '/customers/:id/email', body: (r) => ({ email: `fuzz.${r.uuid()}@example.com` }) },
  { method: 'PUT', path: '/customers/:id/phone', body: () => ({ phone: '+1 555 0199' }) },
  { method: 'POST', path: '/customers/:id/addresses', body: (r) => ({ addressId: r.uuid(), address: address(r), setAsDefault: true }) },
  { method: 'PUT', path: '/customers/:id/addresses/:sub', body: (r) => ({ address: address(r) }) },
  { method: 'DELETE', path: '/customers/:id/addresses/:sub' },
  { method: 'POST', path: '/customers/:id/payment-methods', body: (r) => ({ paymentMethodId: r.uuid(), type: 'DebitCard', lastFour: '1234', setAsDefault: false }) },
  { method: 'DELETE', path: '/customers/:id/payment-methods/:sub' },
  { method: 'POST', path: '/customers/:id/tier', body: () => ({ tier: 'Platinum' }) },
  { method: 'POST', path: '/customers/:id/suspend', body: () => ({ reason: 'fuzz' }) },
  { method: 'POST', path: '/customers/:id/reactivate', body: () => ({ notes: 'n' }) },
  { method: 'POST', path: '/customers/:id/deactivate', body: () => ({ reason: 'fuzz' }) },
  { method: 'GET', path: '/customers/:id' },
  { method: 'GET', path: '/customers/:id/events' },
];

const METHODS_BY_PATH = new Map<string, Set<string>>();
for (const route of ROUTES) METHODS_BY_PATH.set(route.path, (METHODS_BY_PATH.get(route.path) ?? new Set()).add(route.method));

/** Strings that are never a UUID. */
function junkId(random: Random): string {
  return random.pick([
    () => 'not-a-uuid',
    () => random.uuid().slice(0, random.int(1, 35)),
    () => `${random.uuid()}0`,
    () => random.uuid().replace(/-/g, ''),
    () => random.uuid().replace(/[0-9a-f]/, 'g'),
    () => 'x'.repeat(random.int(37, 3000)),
    () => encodeURIComponent(`'; DROP TABLE event_store; --`),
    () => encodeURIComponent('ü∂ƒ©˙∆˚¬…'),
    () => '%E0%A4%A',
    () => '%00',
    () => encodeURIComponent('{"$ne": null}'),
    () => String(random.int(-1e9, 1e9)),
    () => '..%2F..%2Fetc%2Fpasswd',
  ])();
}

function randomJson(random: Random, depth = 0): Json {
  const kind = random.int(0, depth > 3 ? 3 : 5);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, random.int(-1e6, 1e6)]);
    case 3:
      return random.pick(['', ' ', 'x'.repeat(random.int(1, 300)), '\u0000', '😀', '<script>', random.uuid()]);
    case 4:
      return Array.from({ length: random.int(0, 4) }, () => randomJson(random, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: random.int(0, 4) }, (_, i) => [`k${i}${random.int(0, 9)}`, randomJson(random, depth + 1)]));
  }
}

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** A value of another JSON type than `value`. */
function wrongTypeFor(random: Random, value: Json): Json {
  const candidates: Json[] = [null, true, 42, -3.5, 'text', [], {}, [1, 2], { nested: 'x' }];
  const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  return random.pick(candidates.filter((candidate) => typeOf(candidate) !== typeOf(value)));
}

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
  readonly defects: string[];
}

type Defect =
  | 'bad-id'
  | 'unknown-field'
  | 'wrong-type'
  | 'long-string'
  | 'huge-body'
  | 'random-json'
  | 'broken-json'
  | 'content-type'
  | 'if-match'
  | 'idempotency-key'
  | 'auth'
  | 'method'
  | 'query';

function defectsFor(route: RouteTemplate): Defect[] {
  const always: Defect[] = ['auth', 'method', ...(route.path.includes(':') ? (['bad-id'] as Defect[]) : [])];
  if (route.method === 'GET') return [...always, 'query'];
  const body: Defect[] = ['unknown-field', 'broken-json', 'random-json', 'if-match', 'idempotency-key', 'huge-body'];
  if (route.method === 'DELETE') return [...always, ...body];
  return [...always, ...body, 'wrong-type', 'long-string', 'content-type'];
}

function buildCase(random: Random, ids: Ids): FuzzRequest {
  const route = random.pick(ROUTES);
  const defects = new Set<Defect>();
  const available = defectsFor(route);
  defects.add(random.pick(available));
  if (random.chance(0.25)) defects.add(random.pick(available));

  let method: string = route.method;
  const existingOrUnknown = (pool: readonly string[]) => (random.chance(0.7) ? random.pick(pool) : random.uuid());
  let path = route.path
    .replace(':id', route.path.startsWith('/orders') ? existingOrUnknown(ids.orders) : existingOrUnknown(ids.customers))
    .replace(':sub', random.uuid());
  const headers: Record<string, string> = { authorization: `Bearer ${TOKENS[route.method === 'GET' ? 'reader' : 'writer']}` };
  if (random.chance(0.3)) headers['x-correlation-id'] = random.pick(['ok-id', 'bad id with spaces', 'x'.repeat(500), '\u00e9t\u00e9']);
  if (random.chance(0.2)) headers.traceparent = random.pick(['00-zz-yy-01', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, 'garbage']);
  let value: { [key: string]: Json } | undefined = route.body?.(random, ids);
  let text: string | Buffer | undefined;
  let contentType = 'application/json';

  for (const defect of defects) {
    switch (defect) {
      case 'bad-id': {
        const segments = path.split('/');
        const positions = segments.map((segment, index) => (/^[0-9a-f-]{36}$/.test(segment) ? index : -1)).filter((index) => index >= 0);
        segments[random.pick(positions)] = junkId(random);
        path = segments.join('/');
        break;
      }
      case 'unknown-field':
        value = { ...(value ?? {}), [`unexpected_${random.int(0, 999)}`]: randomJson(random) };
        break;
      case 'wrong-type': {
        const body = value ?? {};
        const keys = Object.keys(body);
        if (keys.length === 0) value = { ...body, extra: 1 };
        else {
          const key = random.pick(keys);
          value = { ...body, [key]: wrongTypeFor(random, body[key] ?? null) };
        }
        break;
      }
      case 'long-string': {
        const body = value ?? {};
        const keys = Object.keys(body).filter((key) => typeof body[key] === 'string');
        const key = keys.length > 0 ? random.pick(keys) : 'unexpected';
        value = { ...body, [key]: 'y'.repeat(random.int(1_001, 30_000)) };
        break;
      }
      case 'huge-body':
        value = { ...(value ?? {}), padding: 'z'.repeat(random.int(70_000, 300_000)) };
        break;
      case 'random-json':
        // Anything but an empty object, which is a valid body for the routes whose fields are all optional.
        text = JSON.stringify(random.pick([randomJson(random), [randomJson(random)], { [random.uuid()]: randomJson(random) }]));
        if (text === '{}') text = '[]';
        break;
      case 'broken-json': {
        const full = JSON.stringify(value ?? { a: 1 });
        text = random.pick(
          [
            full.slice(0, random.int(1, full.length - 1)),
            `${full}}`,
            full.replace(/"/g, "'"),
            `{${full}`,
            '{"a":}',
            '\u0000\u0001',
            "{'single': 'quotes'}",
          ].filter((candidate) => !parses(candidate)),
        );
        break;
      }
      case 'content-type':
        contentType = random.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/merge-patch+json', 'image/png']);
        text ??= JSON.stringify(value ?? {});
        break;
      case 'if-match':
        headers['if-match'] = random.pick(['x1', '"abc"', '"-1"', '"1", "2"', 'W/', '"99999999999999999999"', `x${random.int(0, 9)}`]);
        break;
      case 'idempotency-key':
        headers['idempotency-key'] = random.pick(['k'.repeat(random.int(201, 2000)), '', ' ']);
        break;
      case 'auth':
        if (random.chance(0.3)) delete headers.authorization;
        else if (random.chance(0.5)) headers.authorization = random.pick(['Bearer wrong-token-123', 'Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${'a'.repeat(5000)}`, 'token']);
        else if (route.method !== 'GET') headers.authorization = `Bearer ${TOKENS.reader}`;
        else delete headers.authorization;
        break;
      case 'method':
        method = random.pick(METHODS.filter((candidate) => !(METHODS_BY_PATH.get(route.path)?.has(candidate) ?? false)));
        break;
      case 'query':
        path += random.pick(['?version=0', '?version=x', '?asOf=nope', '?version=1&asOf=2020-01-01T00:00:00Z', '?limit=0', '?limit=100000', '?from=-5', '?version=1e3', '?asOf=2020-13-45T99:00:00Z']);
        if (path.includes('/events?version') || path.includes('/events?asOf')) path = path.replace('/events?', '/events?limit=0&');
        if (!path.includes('/events') && /\?(limit|from)/.test(path)) path = path.replace(/\?.*$/, '?version=-2');
        break;
    }
  }
  if (text === undefined && value !== undefined && method !== 'GET') text = JSON.stringify(value);
  if (text !== undefined && method !== 'GET') headers['content-type'] = contentType;
  return { method, path, headers, ...(text !== undefined && method !== 'GET' ? { body: text } : {}), defects: [...defects] };
}

describe('REST fuzz: malformed requests always get a 4xx problem, never a 5xx', () => {
  let test: TestService;
  let api: ApiClient;
  let ids: Ids;

  beforeAll(async () => {
    test = await startTestService('cmdfuzz');
    api = apiClient(test.url);
    const customers = [await registerCustomer(api), await registerCustomer(api)];
    const orders = [await createOrder(api, customers[0] as string), await createOrder(api, customers[1] as string)];
    ids = { orders, customers };
  }, 180_000);
  afterAll(async () => test?.stop());

  it(`answers ${CASES} malformed requests (seed ${SEED}) with problem+json 4xx and stays healthy`, async () => {
    const random = seededRandom(SEED);
    const cases = Array.from({ length: CASES }, () => buildCase(random, ids));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const queue = cases.map((request, index) => ({ request, index }));
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const { request, index } = next;
          const response = await fetch(`${test.url}${request.path}`, {
            method: request.method,
            headers: request.headers,
            ...(request.body === undefined ? {} : { body: request.body }),
          });
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const describe = `#${index} ${request.method} ${request.path.slice(0, 120)} [${request.defects.join(',')}] → ${response.status} ${text.slice(0, 200)}`;
          if (response.status < 400 || response.status >= 500) {
            failures.push(describe);
            continue;
          }
          try {
            expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            const body = JSON.parse(text) as Record<string, unknown>;
            expect(body.status).toBe(response.status);
            expect(String(body.type)).toMatch(new RegExp(`^${PROBLEM_BASE}`));
            expect(typeof body.title).toBe('string');
            expect(text).not.toMatch(/\n\s+at |node_modules|cassandra/i);
          } catch (error) {
            failures.push(`${describe}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
          }
        }
      }),
    );
    if (process.env.DEBUG_TESTS) console.log([...statuses].sort().map(([status, count]) => `${status}: ${count}`).join(', '));
    expect(failures.slice(0, 20)).toEqual([]);
    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);

    const metrics = await (await fetch(`${test.url}/metrics`)).text();
    expect(metricValue(metrics, 'http_requests_total', { status: '500' })).toBe(0);
    expect((await fetch(`${test.url}/health/ready`)).status).toBe(200);
    const customerId = ids.customers[0] as string;
    const healthy = await api.post('/orders', { customerId, items: [{ productId: random.uuid(), quantity: 1 }] });
    expect(healthy.status).toBe(201);
  });
});
