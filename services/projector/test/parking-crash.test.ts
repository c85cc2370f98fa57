import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DeadLetterHeader } from '@scylla-es/es-core/kafka';
import { eventually } from '@scylla-es/es-core/testing';
import { startProjector, type RunningProjector } from '../src';
import { deadLetterInbox, type DeadLetterInbox } from './support/dead-letters';
import { customerLife, orderLife } from './support/histories';
import { poisonedProjections } from '../src/testing/poisoned-projections';
import { killed, spawnPoisonedProjector } from './support/processes';
import { ADMIN_TOKEN, projectorFixture, READ_TOKEN, type ProjectorFixture } from './support/projector-fixture';
import { queryClient } from './support/query-client';
import { replayOf } from './support/replays';
import { replayedOrder, withoutProjectionTimes } from './support/replayed-models';

jest.setTimeout(180_000);

const PORT = 3_800 + Math.floor(Math.random() * 100);
const MAX_ATTEMPTS = 2;

/** A projector SIGKILLed while an aggregate is parked: its successor knows it parked, holds on, then releases it. */
describe('parked aggregate across a SIGKILL', () => {
  let fixture: ProjectorFixture;
  let inbox: DeadLetterInbox;
  let child: ChildProcess | undefined;
  let projector: RunningProjector | undefined;

  beforeAll(async () => {
    fixture = await projectorFixture('projparkkill');
    inbox = await deadLetterInbox(fixture.kafka, fixture.deadLetterTopic);
  });
  afterAll(async () => {
    await killed(child);
    await projector?.close();
    await inbox?.close();
    await fixture?.drop();
  });

  it('stays parked with its held events after the restart, and is released by a replay once fixed', async () => {
    // A short session hands the killed instance's partitions to the next one sooner.
    const env = fixture.env({ PROJECTOR_MAX_ATTEMPTS: String(MAX_ATTEMPTS), PROJECTOR_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'error' });
    const customerId = randomUUID();
    const orderId = randomUUID();
    await fixture.publish(await fixture.append('Customer', customerId, 0, customerLife(customerId)));
    const events = await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, ['created', 'confirmed', 'shipped', 'delivered']));

    child = spawnPoisonedProjector([orderId], { ...env, PORT: String(PORT) });
    const childAdmin = queryClient(`http://127.0.0.1:${PORT}`, ADMIN_TOKEN);
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${PORT}/health/ready`)).status).toBe(200), 60_000, 100);
    await fixture.publish(events.slice(0, 2));
    await eventually(async () => expect((await childAdmin('/admin/parked')).body.parked).toMatchObject([{ aggregateId: orderId, headSequence: 1, held: 1 }]), 60_000, 200);
    await eventually(() => expect(inbox.received.length).toBeGreaterThanOrEqual(1), 30_000, 100);

    await killed(child);
    // Arrives while nobody consumes: the next instance must hold it too.
    await fixture.publish(events.slice(2, 3));

    const poisoned = new Set([orderId]);
    projector = await startProjector(env, { collectDefaultMetrics: false, projections: poisonedProjections(poisoned) });
    const admin = queryClient(projector.url, ADMIN_TOKEN);
    const get = queryClient(projector.url, READ_TOKEN);
    await eventually(async () => expect((await admin('/admin/parked')).body.parked).toMatchObject([{ headSequence: 1, held: 2 }]), 60_000, 200);
    expect((await admin('/admin/parked')).body.parked).toMatchObject([
      { aggregateId: orderId, headSequence: 1, headEventId: events[0]!.eventId, held: 2, attempts: MAX_ATTEMPTS },
    ]);
    await eventually(() => expect(projector?.parkedAggregates()).toBe(1), 30_000, 100);
    const stored = await fixture.client.execute(
      `SELECT sequence, event_id FROM ${fixture.keyspace}.projector_parked_events WHERE consumer_group = ? AND aggregate_type = ? AND aggregate_id = ?`,
      [`${fixture.keyspace}-projector`, 'Order', orderId],
      { prepare: true },
    );
    expect(stored.rows.map((row) => [Number(row.get('sequence')), row.get('event_id')])).toEqual(events.slice(0, 3).map((event) => [event.sequence, event.eventId]));
    expect((await get(`/orders/${orderId}`)).status).toBe(404);

    // Every dead letter of it (a redelivered head may have sent its own again) names the same event.
    const letters = inbox.received.filter((letter) => letter.headers[DeadLetterHeader.aggregateId] === orderId);
    expect(new Set(letters.map((letter) => letter.headers[DeadLetterHeader.eventId]))).toEqual(new Set([events[0]!.eventId]));

    poisoned.delete(orderId);
    await fixture.publishRecord(fixture.orderTopic, replayOf(letters[0]!));
    await fixture.publish(events.slice(3));
    await eventually(async () => expect((await get(`/orders/${orderId}`)).body.version).toBe(4), 60_000, 200);
    expect(withoutProjectionTimes((await get(`/orders/${orderId}`)).body)).toEqual(await replayedOrder(fixture.store, orderId));
    expect((await admin('/admin/parked')).body.parked).toEqual([]);
  });
});
