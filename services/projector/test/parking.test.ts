import { randomUUID } from 'node:crypto';
import { DeadLetterHeader, ReplayHeader } from '@scylla-es/es-core/kafka';
import { eventually } from '@scylla-es/es-core/testing';
import { startProjector, type RunningProjector } from '../src';
import { deadLetterInbox, partitionOfKey, type DeadLetterInbox } from './support/dead-letters';
import { customerLife, orderLife } from './support/histories';
import { metricTotal } from './support/metrics';
import { poisonedProjections } from '../src/testing/poisoned-projections';
import { ADMIN_TOKEN, projectorFixture, READ_TOKEN, relayEnvelope, type ProjectorFixture } from './support/projector-fixture';
import { queryClient, type QueryClient } from './support/query-client';
import { replayOf } from './support/replays';
import { replayedOrder, withoutProjectionTimes } from './support/replayed-models';

jest.setTimeout(120_000);

const MAX_ATTEMPTS = 3;
const PARTITIONS = 3;

/**
 * Poison events on a projector running in-process: only the poisoned aggregate is parked and its later events
 * held while every other aggregate flows, its dead letter says everything the dlq-service needs, and replays
 * either release it in order or, failing again, leave it parked with one attempt more.
 */
describe('parking and replay', () => {
  let fixture: ProjectorFixture;
  let projector: RunningProjector;
  let inbox: DeadLetterInbox;
  let get: QueryClient;
  let admin: QueryClient;
  const poisoned = new Set<string>();
  const customerId = randomUUID();

  const lettersFor = (aggregateId: string) => inbox.received.filter((letter) => letter.headers[DeadLetterHeader.aggregateId] === aggregateId);
  const parkedList = async () => (await admin('/admin/parked?limit=100')).body.parked as Record<string, unknown>[];

  beforeAll(async () => {
    fixture = await projectorFixture('projpark');
    inbox = await deadLetterInbox(fixture.kafka, fixture.deadLetterTopic);
    projector = await startProjector(fixture.env({ PROJECTOR_MAX_ATTEMPTS: String(MAX_ATTEMPTS), LOG_LEVEL: 'error' }), {
      collectDefaultMetrics: false,
      projections: poisonedProjections(poisoned),
    });
    get = queryClient(projector.url, READ_TOKEN);
    admin = queryClient(projector.url, ADMIN_TOKEN);
    await eventually(() => expect(projector.joined()).toBe(true), 30_000, 100);
    await fixture.publish(await fixture.append('Customer', customerId, 0, customerLife(customerId)));
  });
  afterAll(async () => {
    await projector?.close();
    await inbox?.close();
    await fixture?.drop();
  });

  it('parks only the poisoned aggregate, holds its later events, and releases them in order on a replay once fixed', async () => {
    const poison = randomUUID();
    // A neighbour on the same partition proves the partition keeps flowing, not just the others.
    let neighbour = randomUUID();
    while (partitionOfKey(neighbour, PARTITIONS) !== partitionOfKey(poison, PARTITIONS)) neighbour = randomUUID();
    const life = orderLife(poison, customerId, ['created', 'confirmed', 'shipped', 'delivered']);
    const neighbourLife = orderLife(neighbour, customerId, ['created', 'confirmed', 'shipped']);

    const [created] = await fixture.append('Order', poison, 0, life.slice(0, 1));
    await fixture.publish([created!]);
    await eventually(async () => expect((await get(`/orders/${poison}`)).body.version).toBe(1), 30_000, 100);

    poisoned.add(poison);
    const [confirmed, shipped] = await fixture.append('Order', poison, 1, life.slice(1, 3));
    const neighbourEvents = await fixture.append('Order', neighbour, 0, neighbourLife);
    await fixture.publish([confirmed!, neighbourEvents[0]!, shipped!, ...neighbourEvents.slice(1)]);

    await eventually(async () => expect((await get(`/orders/${neighbour}`)).body.version).toBe(3), 60_000, 200);
    await eventually(async () => expect(await parkedList()).toHaveLength(1), 60_000, 200);
    await eventually(async () => expect((await parkedList())[0]).toMatchObject({ held: 1 }), 30_000, 200);
    const [entry] = await parkedList();
    expect(entry).toMatchObject({
      aggregateType: 'Order',
      aggregateId: poison,
      topic: fixture.orderTopic,
      headSequence: 2,
      headEventId: confirmed!.eventId,
      held: 1,
      attempts: MAX_ATTEMPTS,
      lastError: { class: 'PoisonedProjectionError', message: `the projection of ${poison} is poisoned` },
    });
    expect((await get(`/orders/${poison}`)).body.version).toBe(1);

    await eventually(() => expect(lettersFor(poison)).toHaveLength(1), 30_000, 100);
    const [letter] = lettersFor(poison);
    expect(letter!.key).toBe(poison);
    expect(letter!.value?.toString()).toBe(relayEnvelope(confirmed!));
    expect(letter!.headers).toMatchObject({
      [DeadLetterHeader.sourceService]: 'projector',
      [DeadLetterHeader.originalTopic]: fixture.orderTopic,
      [DeadLetterHeader.originalKey]: poison,
      [DeadLetterHeader.originalPartition]: String(partitionOfKey(poison, PARTITIONS)),
      [DeadLetterHeader.eventId]: confirmed!.eventId,
      [DeadLetterHeader.aggregateType]: 'Order',
      [DeadLetterHeader.aggregateId]: poison,
      [DeadLetterHeader.sequence]: '2',
      [DeadLetterHeader.attempts]: String(MAX_ATTEMPTS),
      [DeadLetterHeader.errorClass]: 'PoisonedProjectionError',
      [DeadLetterHeader.errorMessage]: `the projection of ${poison} is poisoned`,
      [DeadLetterHeader.payloadOmitted]: 'false',
    });
    expect(letter!.headers[DeadLetterHeader.originalOffset]).toMatch(/^\d+$/);
    const registry = projector.metrics.registry;
    expect(await metricTotal(registry, 'projector_parked_aggregates')).toBe(1);
    expect(await metricTotal(registry, 'projector_events_parked_total')).toBe(2);

    // Fixed, then replayed: the head and the held event are applied in order, the aggregate flows again.
    poisoned.delete(poison);
    await fixture.publishRecord(fixture.orderTopic, replayOf(letter!));
    await eventually(async () => expect((await get(`/orders/${poison}`)).body.version).toBe(3), 30_000, 200);
    expect(await parkedList()).toEqual([]);
    expect(await metricTotal(registry, 'projector_events_released_total')).toBe(2);
    expect(await metricTotal(registry, 'projector_parked_aggregates')).toBe(0);
    const [delivered] = await fixture.append('Order', poison, 3, life.slice(3));
    await fixture.publish([delivered!]);
    await eventually(async () => expect((await get(`/orders/${poison}`)).body.version).toBe(4), 30_000, 200);
    expect(withoutProjectionTimes((await get(`/orders/${poison}`)).body)).toEqual(await replayedOrder(fixture.store, poison));
    const { rows } = await fixture.client.execute(`SELECT * FROM ${fixture.keyspace}.projector_parked_events`);
    expect(rows).toEqual([]);
  });

  it('keeps an aggregate parked when its replay fails again, with a new dead letter of one attempt more', async () => {
    const orderId = randomUUID();
    const life = orderLife(orderId, customerId, ['created', 'confirmed', 'shipped']);
    const [created, confirmed, shipped] = await fixture.append('Order', orderId, 0, life);
    await fixture.publish([created!]);
    await eventually(async () => expect((await get(`/orders/${orderId}`)).body.version).toBe(1), 30_000, 100);

    // A realistic poison: the message on the topic carries data its event type's schema rejects.
    const malformedData = JSON.stringify({ ...JSON.parse(relayEnvelope(confirmed!)), data: { confirmedAt: 'not a time' } });
    await fixture.publishRecord(fixture.orderTopic, { key: orderId, value: malformedData });
    await fixture.publish([shipped!]);
    await eventually(() => expect(lettersFor(orderId)).toHaveLength(1), 60_000, 200);
    const [first] = lettersFor(orderId);
    expect(first!.headers[DeadLetterHeader.attempts]).toBe(String(MAX_ATTEMPTS));

    await fixture.publishRecord(fixture.orderTopic, replayOf(first!));
    await eventually(() => expect(lettersFor(orderId)).toHaveLength(2), 30_000, 200);
    const second = lettersFor(orderId)[1]!;
    expect(second.headers).toMatchObject({
      [DeadLetterHeader.eventId]: confirmed!.eventId,
      [DeadLetterHeader.sequence]: '2',
      [DeadLetterHeader.attempts]: String(MAX_ATTEMPTS + 1),
      [DeadLetterHeader.errorClass]: first!.headers[DeadLetterHeader.errorClass],
    });
    expect(second.headers[ReplayHeader.replayOf]).toBeUndefined();
    const entry = (await parkedList()).find((parked) => parked.aggregateId === orderId);
    expect(entry).toMatchObject({ headSequence: 2, held: 1, attempts: MAX_ATTEMPTS + 1 });
    expect((await get(`/orders/${orderId}`)).body.version).toBe(1);
  });

  it('dead-letters a record that is not an event at once and keeps its partition flowing', async () => {
    const key = randomUUID();
    await fixture.publishRecord(fixture.orderTopic, { key, value: 'not an event' });
    const [created] = await fixture.append('Order', key, 0, orderLife(key, customerId, ['created']));
    await fixture.publish([created!]);
    await eventually(async () => expect((await get(`/orders/${key}`)).body.version).toBe(1), 30_000, 100);
    await eventually(() => expect(inbox.received.filter((letter) => letter.key === key)).toHaveLength(1), 30_000, 100);
    const letter = inbox.received.find((received) => received.key === key)!;
    expect(letter.value?.toString()).toBe('not an event');
    expect(letter.headers).toMatchObject({
      [DeadLetterHeader.sourceService]: 'projector',
      [DeadLetterHeader.errorClass]: 'MalformedEventMessageError',
      [DeadLetterHeader.attempts]: '1',
    });
    expect(letter.headers[DeadLetterHeader.eventId]).toBeUndefined();
    expect(await metricTotal(projector.metrics.registry, 'projector_dead_letters_sent_total')).toBeGreaterThanOrEqual(1);
  });

  it('lists parked aggregates only for the admin scope, page by page', async () => {
    const before = (await parkedList()).length;
    for (const orderId of [randomUUID(), randomUUID()]) {
      const [created, confirmed] = await fixture.append('Order', orderId, 0, orderLife(orderId, customerId, ['created', 'confirmed']));
      await fixture.publish([created!]);
      await fixture.publishRecord(fixture.orderTopic, { key: orderId, value: JSON.stringify({ ...JSON.parse(relayEnvelope(confirmed!)), data: {} }) });
    }
    await eventually(async () => expect(await parkedList()).toHaveLength(before + 2), 60_000, 200);
    expect((await get('/admin/parked')).status).toBe(403);
    expect((await admin('/admin/parked?limit=0')).status).toBe(400);
    expect((await admin('/admin/parked?unknown=1')).status).toBe(400);
    expect((await admin('/admin/parked?cursor=bogus')).status).toBe(400);
    const all = await parkedList();
    const paged: unknown[] = [];
    let path: string | null = '/admin/parked?limit=1';
    while (path !== null) {
      const { body }: { body: Record<string, unknown> } = await admin(path);
      paged.push(...(body.parked as unknown[]));
      path = body.next === null ? null : `/admin/parked?limit=1&cursor=${encodeURIComponent(body.next as string)}`;
    }
    expect(paged).toEqual(all);
    expect(paged.length).toBeGreaterThanOrEqual(3);
  });
});

