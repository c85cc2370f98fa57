// The demo of `make dev`, to follow by eye: a customer registers, one order goes Create → Confirm → Ship → Deliver
// and another is cancelled, through the REST API. Each event is shown as it arrives on Kafka (relayed from the
// CDC log) and then in the projector's read models, read with ?minVersion= so the read waits for the write.
// It ends once Prometheus has scraped the relay. Plain Node 20 (fetch); kafkajs is taken from the dlq-service's
// dependencies.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(new URL('../../services/dlq-service/package.json', import.meta.url));
const { Kafka, logLevel } = require('kafkajs');

const commands = process.env.COMMAND_SERVICE_URL ?? 'http://127.0.0.1:3000';
const projector = process.env.PROJECTOR_URL ?? 'http://127.0.0.1:3001';
const prometheus = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const brokers = (process.env.REDPANDA_BROKERS ?? '127.0.0.1:9092').split(',');
const token = process.env.DEMO_TOKEN ?? 'dev-writer-token';
const readerToken = process.env.DEMO_READER_TOKEN ?? 'dev-reader-token';
const quiet = process.argv.includes('--quiet');
const show = (line) => quiet || console.log(line);

/** Every event of this demo's aggregates as it arrives on the event topics. */
const arrived = new Map();
const consumer = new Kafka({ clientId: 'demo', brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `demo-${randomUUID()}`, maxWaitTimeInMs: 100 });
await consumer.connect();
await consumer.subscribe({ topics: ['orders.events', 'customers.events'], fromBeginning: false });
let joined = false;
consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
await consumer.run({
  eachMessage: async ({ topic, partition, message }) => {
    const event = JSON.parse(String(message.value));
    arrived.set(`${event.aggregateId}:${event.sequence}`, { topic, partition, offset: message.offset, type: event.type });
  },
});
while (!joined) await sleep(100);
await sleep(1_000); // a group without committed offsets starts at the end: let it fetch that end first

async function command(method, path, body) {
  const response = await fetch(`${commands}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} failed with ${response.status}: ${JSON.stringify(payload)}`);
  show(`${method} ${path} → ${response.status}, version ${payload.version}`);
  return payload;
}

async function query(path) {
  const response = await fetch(`${projector}${path}`, { headers: { authorization: `Bearer ${readerToken}` } });
  const payload = await response.json();
  if (!response.ok) throw new Error(`GET ${path} on the projector failed with ${response.status}: ${JSON.stringify(payload)}`);
  return payload;
}

/** Waits for event `version` of the aggregate on Kafka, then for the read model to reflect it. */
async function follow(id, version, readModelPath, describe) {
  for (let attempt = 0; attempt < 100 && !arrived.has(`${id}:${version}`); attempt++) await sleep(100);
  const onKafka = arrived.get(`${id}:${version}`);
  if (!onKafka) throw new Error(`event ${version} of ${id} did not arrive on Kafka`);
  show(`  Kafka      ${onKafka.type} on ${onKafka.topic} partition ${onKafka.partition} offset ${onKafka.offset}`);
  const view = await query(`${readModelPath}?minVersion=${version}`);
  show(`  read model ${describe(view)} (version ${view.version})`);
  return view;
}

const customer = await command('POST', '/customers', { email: `demo-${randomUUID().slice(0, 8)}@example.com`, firstName: 'Ada', lastName: 'Lovelace' });
await follow(customer.id, customer.version, `/customers/${customer.id}`, (view) => `customer ${view.firstName} ${view.lastName}, ${view.status}, tier ${view.tier}`);

const items = [{ productId: randomUUID(), quantity: 2 }, { productId: randomUUID(), quantity: 1 }];
const delivered = await command('POST', '/orders', { customerId: customer.id, items });
const orderView = (view) => `order ${view.status}, ${view.itemCount} lines, ${view.totalQuantity} items`;
await follow(delivered.id, delivered.version, `/orders/${delivered.id}`, orderView);
for (const [step, body] of [['confirm'], ['ship', { trackingNumber: '1Z999AA10123456784', carrier: 'UPS' }], ['deliver', { signature: 'A. Lovelace' }]]) {
  const { version } = await command('POST', `/orders/${delivered.id}/${step}`, body);
  await follow(delivered.id, version, `/orders/${delivered.id}`, orderView);
}

const cancelled = await command('POST', '/orders', { customerId: customer.id, items: [{ productId: randomUUID(), quantity: 1 }] });
await follow(cancelled.id, cancelled.version, `/orders/${cancelled.id}`, orderView);
const { version: cancelledVersion } = await command('POST', `/orders/${cancelled.id}/cancel`, { reason: 'changed my mind', cancelledBy: 'customer' });
const last = await follow(cancelled.id, cancelledVersion, `/orders/${cancelled.id}`, orderView);
await consumer.disconnect();

const listed = await query(`/customers/${customer.id}/orders`);
const profile = await query(`/customers/${customer.id}`);
show(`customer ${customer.id}: ${listed.orders.map((entry) => entry.status).join(', ')} in orders_by_customer, orderCount ${profile.orderCount}`);
if (listed.orders.length !== 2 || last.status !== 'Cancelled') throw new Error('the read models do not show both orders');

for (let attempt = 0; attempt < 30; attempt++) {
  const answer = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent('sum(cdc_relay_messages_published_total)')}`).catch(() => undefined);
  if (!answer) {
    show(`Prometheus is not reachable at ${prometheus}: no metrics to show`);
    process.exit(0);
  }
  const published = (await answer.json()).data?.result?.[0]?.value?.[1];
  if (published && Number(published) > 0) {
    show(`Prometheus has scraped ${published} published events: ${prometheus}`);
    process.exit(0);
  }
  await sleep(1000);
}
show('Prometheus has not scraped the relay yet; it will within a few seconds');
