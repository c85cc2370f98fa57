import { randomUUID } from 'node:crypto';
import { orderAggregate, orderDecider, type OrderEvent } from '@scylla-es/domain';
import type { NewEvent, RecordedEvent } from '@scylla-es/es-core';
import { CqlEventRows, CqlEventStore } from '@scylla-es/es-core/cql';
import { eventRowMessage } from '@scylla-es/es-core/kafka';
import { eventually } from '@scylla-es/es-core/testing';
import { poisonedProjections, startProjector, type RunningProjector } from '@scylla-es/projector';
import type { Producer } from 'kafkajs';
import { startDlqService, type RunningDlqService } from '../src';
import { api, type Api } from './support/api';
import { ADMIN_NAME, ADMIN_TOKEN, dlqFixture, type DlqFixture } from './support/dlq-fixture';

jest.setTimeout(240_000);

const MAX_ATTEMPTS = 2;

function orderLife(orderId: string): NewEvent[] {
  const at = new Date();
  return [
    { type: 'OrderCreated', data: { orderId, customerId: randomUUID(), items: [{ productId: randomUUID(), quantity: 2 }], createdAt: at } },
    { type: 'OrderConfirmed', data: { confirmedAt: new Date(at.getTime() + 1) } },
    { type: 'OrderShipped', data: { trackingNumber: 'T-1', carrier: 'DHL', shippedAt: new Date(at.getTime() + 2) } },
  ];
}

/** JSON as the API sends it: dates as ISO strings, absent optionals gone. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/**
 * The whole loop of a poison event, with both services running: the projector parks an aggregate and sends its
 * dead letter, the dlq-service stores it; a replay through the dlq-service's REST API that fails again leaves one
 * message, parked again with one attempt more; once the projector is restarted healthy, the operator's replay
 * releases the aggregate, whose read model then is the state replayed from event_store.
 */
describe('a parked aggregate released through the dlq-service', () => {
  let fixture: DlqFixture;
  let dlq: RunningDlqService;
  let projector: RunningProjector | undefined;
  let producer: Producer;
  let admin: Api;
  let store: CqlEventStore;
  const orderId = randomUUID();

  const startProjectorWith = async (poisoned: ReadonlySet<string>): Promise<RunningProjector> => {
    const started = await startProjector(
      fixture.env({ PROJECTOR_TOPICS: fixture.eventTopic, PROJECTOR_GROUP_ID: `${fixture.keyspace}-projector`, PROJECTOR_MAX_ATTEMPTS: String(MAX_ATTEMPTS), LOG_LEVEL: 'error' }),
      { collectDefaultMetrics: false, projections: poisonedProjections(poisoned) },
    );
    await eventually(() => expect(started.joined()).toBe(true), 60_000, 100);
    return started;
  };
  const onProjector = (path: string) => api(projector!.url, ADMIN_TOKEN)('GET', path);
  const messageOf = async (id: string) => (await admin('GET', `/dlq/messages/${id}`)).body;
  const messagesOfOrder = async () => (await admin('GET', `/dlq/messages?aggregateId=${orderId}`)).body.messages as { id: string; status: string; attempts: number }[];

  beforeAll(async () => {
    fixture = await dlqFixture('dlqrelease');
    store = new CqlEventStore(fixture.client, fixture.keyspace, () => orderAggregate().events);
    producer = fixture.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    dlq = await startDlqService(fixture.env(), { collectDefaultMetrics: false });
    admin = api(dlq.url, ADMIN_TOKEN);
    await eventually(() => expect(dlq.joined()).toBe(true), 60_000, 100);
  });
  afterAll(async () => {
    await projector?.close();
    await producer?.disconnect();
    await dlq?.close();
    await fixture?.drop();
  });

  it('parks, fails again on a replay while still poisoned, and is released by a replay once the projector is healthy', async () => {
    projector = await startProjectorWith(new Set([orderId]));
    await store.append({
      stream: { aggregateType: 'Order', aggregateId: orderId },
      expectedVersion: 0,
      events: orderLife(orderId),
      metadata: { correlationId: randomUUID() },
      topic: fixture.eventTopic,
      occurredAt: new Date(),
    });
    // Published as the relay publishes them: each row's own message.
    const rows = [];
    for await (const row of new CqlEventRows(fixture.client, fixture.keyspace).read(orderId)) rows.push(eventRowMessage(row));
    await producer.send({ topic: fixture.eventTopic, messages: rows.map(({ key, value, headers }) => ({ key, value, headers: { ...headers } })) });

    // Parked by the projector, stored by the dlq-service.
    await eventually(async () => expect(await messagesOfOrder()).toMatchObject([{ status: 'parked', attempts: MAX_ATTEMPTS }]), 60_000, 200);
    const { id } = (await messagesOfOrder())[0]!;
    expect((await onProjector('/admin/parked')).body.parked).toMatchObject([{ aggregateId: orderId, headSequence: 1, held: 2 }]);

    // Replayed while the projection is still broken: the same message comes back parked, one attempt more.
    const failing = await admin('POST', `/dlq/messages/${id}/replay`);
    expect(failing).toMatchObject({ status: 200, body: { status: 'replayed' } });
    await eventually(async () => expect(await messagesOfOrder()).toMatchObject([{ id, status: 'parked', attempts: MAX_ATTEMPTS + 1 }]), 60_000, 200);
    expect((await messageOf(id)).audit.map((entry: { action: string; actor: string }) => [entry.action, entry.actor])).toEqual([
      ['parked', 'projector'],
      ['replayed', ADMIN_NAME],
      ['failed-again', 'projector'],
    ]);

    // Fixed and restarted: the parking survived the restart, and the operator's replay releases the aggregate.
    await projector.close();
    projector = await startProjectorWith(new Set());
    expect((await onProjector('/admin/parked')).body.parked).toMatchObject([{ aggregateId: orderId, attempts: MAX_ATTEMPTS + 1 }]);
    const releasing = await admin('POST', `/dlq/messages/${id}/replay`);
    expect(releasing).toMatchObject({ status: 200, body: { status: 'replayed', replayCount: 2 } });

    await eventually(async () => expect((await onProjector(`/orders/${orderId}`)).body.version).toBe(3), 60_000, 200);
    const history: RecordedEvent[] = [];
    for await (const event of store.read(orderId)) history.push(event);
    const replayed = history.reduce((state, event) => orderDecider.evolve(state, { type: event.type, data: event.data } as OrderEvent), orderDecider.initialState());
    expect((await onProjector(`/orders/${orderId}`)).body).toMatchObject(asJson({ ...replayed, version: history.length }) as object);
    expect((await onProjector('/admin/parked')).body.parked).toEqual([]);
    const released = await messageOf(id);
    expect(released).toMatchObject({ status: 'replayed', attempts: MAX_ATTEMPTS + 1 });
    expect(released.audit.map((entry: { action: string; actor: string }) => [entry.action, entry.actor])).toEqual([
      ['parked', 'projector'],
      ['replayed', ADMIN_NAME],
      ['failed-again', 'projector'],
      ['replayed', ADMIN_NAME],
    ]);
    expect(await messagesOfOrder()).toHaveLength(1);
  });
});
