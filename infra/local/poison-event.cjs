// The poison event: an order event of a type the domain does not know. No projection can apply it, however often
// it tries, so the projector parks its aggregate and dead-letters it. The `make dev` demo (demo-dead-letter.mjs)
// and the chaos harness (tools/chaos) both publish it. CommonJS, because then the ESM demo, the chaos harness
// compiled by tsc to CommonJS, and Jest all load this one file as it is, with no build step.
const { randomUUID } = require('node:crypto');

/** The poison event for a new order `orderId`, as a message for the order topic, keyed by its aggregate. */
function poisonOrderMessage(orderId) {
  const event = {
    eventId: randomUUID(),
    type: 'OrderTeleported',
    schemaVersion: 1,
    aggregateType: 'Order',
    aggregateId: orderId,
    sequence: 1,
    occurredAt: new Date().toISOString(),
    data: { to: 'the moon' },
    metadata: { correlationId: randomUUID() },
  };
  return { key: orderId, value: JSON.stringify(event) };
}

module.exports = { poisonOrderMessage };
