// The demo `make dev` ends with: a customer and an order go through the REST API, their events reach Kafka
// through the CDC relay, the projector shows them in its read models, and Prometheus has scraped it all. Plain Node 20 (fetch), no build step.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const commands = process.env.COMMAND_SERVICE_URL ?? 'http://127.0.0.1:3000';
const relay = process.env.CDC_RELAY_URL ?? 'http://127.0.0.1:3003';
const projector = process.env.PROJECTOR_URL ?? 'http://127.0.0.1:3001';
const prometheus = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const token = process.env.DEMO_TOKEN ?? 'dev-writer-token';
const readerToken = process.env.DEMO_READER_TOKEN ?? 'dev-reader-token';

async function call(method, path, body) {
  const response = await fetch(`${commands}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const payload = await response.json();
  console.log(`${method.padEnd(5)} ${path.padEnd(52)} → ${response.status} ${JSON.stringify(payload).slice(0, 90)}`);
  if (!response.ok) throw new Error(`${method} ${path} failed with ${response.status}`);
  return payload;
}

async function publishedCount() {
  const metrics = await (await fetch(`${relay}/metrics`)).text();
  const line = metrics.split('\n').find((entry) => entry.startsWith('cdc_relay_messages_published_total'));
  return line ? Number(line.split(' ').pop()) : 0;
}

const before = await publishedCount();
const customer = await call('POST', '/customers', {
  email: `demo-${randomUUID().slice(0, 8)}@example.com`,
  firstName: 'Ada',
  lastName: 'Lovelace',
});
const order = await call('POST', '/orders', {
  customerId: customer.id,
  items: [{ productId: randomUUID(), quantity: 2 }, { productId: randomUUID(), quantity: 1 }],
});
await call('POST', `/orders/${order.id}/confirm`);
await call('POST', `/orders/${order.id}/ship`, { trackingNumber: '1Z999AA10123456784', carrier: 'UPS' });
const state = await call('GET', `/orders/${order.id}`);
console.log(`\norder ${order.id} is ${state.status ?? JSON.stringify(state)}`);

const appended = 4; // CustomerRegistered, OrderCreated, OrderConfirmed, OrderShipped
for (let attempt = 0; attempt < 60 && (await publishedCount()) - before < appended; attempt++) await sleep(500);
const published = (await publishedCount()) - before;
console.log(`cdc-relay published ${published} of the ${appended} new events to Kafka`);
const status = await (await fetch(`${relay}/status`)).json();
console.log(`relay generation ${status.generation}, ${status.groups.length} stream groups, max lag ${Math.max(...status.groups.map((g) => g.lagSeconds ?? 0)).toFixed(1)} s`);
if (published < appended) throw new Error('the relay did not publish every event');

// Read-your-writes on the read side: minVersion waits (bounded) until the projector has applied the order's events.
async function query(path) {
  const response = await fetch(`${projector}${path}`, { headers: { authorization: `Bearer ${readerToken}` } });
  const payload = await response.json();
  if (!response.ok) throw new Error(`GET ${path} on the projector failed with ${response.status}: ${JSON.stringify(payload)}`);
  return payload;
}
const view = await query(`/orders/${order.id}?minVersion=${state.version}`);
console.log(`projector: order ${view.id ?? order.id} is ${view.status} at version ${view.version} in order_read_model`);
const listed = await query(`/customers/${customer.id}/orders`);
console.log(`projector: customer ${customer.id} has ${listed.orders.length} order(s) in orders_by_customer`);
if (view.status !== state.status || listed.orders.length !== 1) throw new Error('the read models do not show the order');

for (let attempt = 0; attempt < 30; attempt++) {
  const query = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent('sum(cdc_relay_messages_published_total)')}`);
  const result = (await query.json()).data?.result?.[0]?.value?.[1];
  if (result && Number(result) > 0) {
    console.log(`Prometheus sees ${result} published events; dashboards: ${prometheus}`);
    process.exit(0);
  }
  await sleep(1000);
}
console.log('Prometheus has not scraped the relay yet; it will within a few seconds');
