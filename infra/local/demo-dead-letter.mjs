// The dead-letter part of the `make dev` demo: an event no projection can apply reaches the projector, which
// parks its aggregate and dead-letters it; the dlq-service stores it; an operator replays it (it fails again, the
// cause being unfixed, so it comes back parked with one attempt more) and finally discards it with a reason.
// Plain Node 20 (fetch); kafkajs is taken from the dlq-service's dependencies.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { poisonOrderMessage } from './poison-event.cjs';

const require = createRequire(new URL('../../services/dlq-service/package.json', import.meta.url));
const { Kafka, logLevel } = require('kafkajs');

const projector = process.env.PROJECTOR_URL ?? 'http://127.0.0.1:3001';
const dlq = process.env.DLQ_SERVICE_URL ?? 'http://127.0.0.1:3002';
const brokers = (process.env.REDPANDA_BROKERS ?? '127.0.0.1:9092').split(',');
const adminToken = process.env.DEMO_ADMIN_TOKEN ?? 'dev-admin-token';

async function call(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const payload = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} failed with ${response.status}: ${JSON.stringify(payload)}`);
  return payload;
}

async function until(what, probe, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

// The poison event (poison-event.cjs), of a type the domain does not know: the projector cannot apply it.
const orderId = randomUUID();
const producer = new Kafka({ clientId: 'demo', brokers, logLevel: logLevel.NOTHING }).producer();
await producer.connect();
await producer.send({ topic: 'orders.events', messages: [poisonOrderMessage(orderId)] });
await producer.disconnect();
console.log(`\npublished an OrderTeleported event for order ${orderId} to orders.events (no projection knows it)`);

const messageOf = async () => (await call(dlq, 'GET', `/dlq/messages?source=projector&aggregateId=${orderId}`)).messages[0];
const parked = await until('the dead letter in the dlq-service', messageOf);
console.log(`dlq-service: message ${parked.id} ${parked.status}, ${parked.errorClass} after ${parked.attempts} attempts`);
const listed = await call(projector, 'GET', '/admin/parked?limit=100');
const entry = listed.parked.find((candidate) => candidate.aggregateId === orderId);
console.log(`projector: order ${orderId} parked at sequence ${entry?.headSequence} (GET /admin/parked)`);

const replayed = await call(dlq, 'POST', `/dlq/messages/${parked.id}/replay`);
console.log(`replay by ${replayed.audit.at(-1).actor}: ${replayed.status}`);
const again = await until('the failed replay to come back', async () => {
  const message = await messageOf();
  return message.status === 'parked' && message.attempts > parked.attempts ? message : undefined;
});
console.log(`the cause is not fixed: the projector parked it again, attempts ${parked.attempts} → ${again.attempts}`);

// A change to a message takes its lock; right after the re-park the ingest may still hold it (409 message-busy).
const discarded = await until('the message to be free for a discard', () =>
  call(dlq, 'POST', `/dlq/messages/${parked.id}/discard`, { reason: 'demo: OrderTeleported is not a real event' }).catch((error) => {
    if (String(error.message).includes('message-busy')) return undefined;
    throw error;
  }),
);
const trail = discarded.audit.map((step) => `${step.action} (${step.actor})`).join(' → ');
console.log(`discarded: ${discarded.status}; audit trail: ${trail}`);
