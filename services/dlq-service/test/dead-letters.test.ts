import { randomUUID } from 'node:crypto';
import { CqlEventStore } from '@scylla-es/es-core/cql';
import { ReplayHeader } from '@scylla-es/es-core/kafka';
import { counterEvents, eventually } from '@scylla-es/es-core/testing';
import { startCdcRelay, type RunningCdcRelay } from '@scylla-es/cdc-relay';
import { startDlqService, type RunningDlqService } from '../src';
import { api, type Api } from './support/api';
import { ADMIN_NAME, ADMIN_TOKEN, dlqFixture, eventMessageOf, orderEvent, poisonDeadLetter, READ_TOKEN, type DlqFixture } from './support/dlq-fixture';
import { readTopic, type TopicReader } from './support/topic-reader';

jest.setTimeout(180_000);

/** Dead letters from both senders arrive whole and once; replay and discard through the REST API, audited. */
describe('dead letters', () => {
  let fixture: DlqFixture;
  let dlq: RunningDlqService | undefined;
  let relay: RunningCdcRelay | undefined;
  let reader: TopicReader | undefined;
  let admin: Api;
  let read: Api;

  const start = async () => {
    dlq = await startDlqService(fixture.env(), { collectDefaultMetrics: false });
    admin = api(dlq.url, ADMIN_TOKEN);
    read = api(dlq.url, READ_TOKEN);
    await eventually(() => expect(dlq?.joined()).toBe(true), 60_000, 100);
  };
  const messageOf = async (id: string) => (await read('GET', `/dlq/messages/${id}`)).body;
  const listed = async (query: string) => (await read('GET', `/dlq/messages?${query}`)).body.messages as { id: string }[];

  beforeAll(async () => {
    fixture = await dlqFixture('dlqletters');
    await start();
    reader = await readTopic(fixture.kafka, fixture.eventTopic);
  });
  afterAll(async () => {
    await reader?.stop();
    await relay?.close();
    await dlq?.close();
    await fixture?.drop();
  });

  it('stores a poison projector event with its attempts and coordinates; a new failure updates it; a redelivery changes nothing', async () => {
    const orderId = randomUUID();
    const event = orderEvent(fixture.eventTopic, orderId, 3);
    const original = eventMessageOf(event);
    await fixture.sendDeadLetters([poisonDeadLetter(fixture.deadLetterTopic, original, { attempts: 5, partition: 2, offset: '41', failedAt: new Date('2026-11-27T10:00:05Z') })]);
    const [summary] = await eventuallyListed(() => listed(`aggregateId=${orderId}`), 1);
    const stored = await messageOf(summary!.id);
    expect(stored).toMatchObject({
      status: 'parked',
      source: 'projector',
      attempts: 5,
      original: { topic: fixture.eventTopic, partition: 2, offset: '41', key: orderId, headers: original.headers },
      payload: { omitted: false, encoding: 'utf8', data: original.value },
      event: { eventId: event.eventId, eventType: 'OrderConfirmed', aggregateType: 'Order', aggregateId: orderId, sequence: 3 },
      error: { class: 'ProjectionError' },
      firstFailedAt: '2026-11-27T10:00:05.000Z',
    });
    expect(stored.audit).toEqual([expect.objectContaining({ action: 'parked', actor: 'projector', detail: expect.objectContaining({ attempts: 5 }) })]);

    // The projector re-parks the event after a failed replay: same message, attempts and trail move on.
    await fixture.sendDeadLetters([poisonDeadLetter(fixture.deadLetterTopic, original, { attempts: 6, errorClass: 'StillBroken', failedAt: new Date('2026-11-27T10:07:00Z') })]);
    await eventually(async () => expect((await messageOf(summary!.id)).attempts).toBe(6), 30_000, 100);
    expect(await messageOf(summary!.id)).toMatchObject({
      status: 'parked',
      error: { class: 'StillBroken' },
      firstFailedAt: '2026-11-27T10:00:05.000Z',
      lastFailedAt: '2026-11-27T10:07:00.000Z',
    });
    expect((await messageOf(summary!.id)).audit.map((entry: { action: string }) => entry.action)).toEqual(['parked', 'failed-again']);

    // Every dead letter is delivered again (the group's offsets are gone): nothing is stored twice.
    await dlq!.close();
    const kafkaAdmin = fixture.kafka.admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.deleteGroups([`${fixture.keyspace}-dlq`]);
    await kafkaAdmin.disconnect();
    await start();
    await eventually(async () => {
      const metrics = await (await fetch(`${dlq!.url}/metrics`)).text();
      expect(metrics).toMatch(/dlq_dead_letters_duplicate_total\{source="projector"[^}]*\} 2\n/);
    }, 60_000, 200);
    expect(await listed(`aggregateId=${orderId}`)).toHaveLength(1);
    expect((await messageOf(summary!.id)).audit).toHaveLength(2);
    expect((await messageOf(summary!.id)).attempts).toBe(6);
  });

  it('stores an over-sized relay message by its coordinates and replays it, reloaded from event_store, once', async () => {
    // The relay's limit is far below the event: it dead-letters it, too large to keep even in the dead letter.
    relay = await startCdcRelay(
      {
        ...fixture.env(),
        RELAY_TOPICS: fixture.eventTopic,
        RELAY_CONSUMER_NAME: `${fixture.keyspace}-relay`,
        KAFKA_MAX_MESSAGE_BYTES: '100000',
        CDC_WINDOW_MS: '2000',
        CDC_CONFIDENCE_WINDOW_MS: '1500',
        CDC_POLL_INTERVAL_MS: '200',
        CDC_LOOKBACK_MS: '120000',
      },
      { collectDefaultMetrics: false },
    );
    const store = new CqlEventStore(fixture.client, fixture.keyspace, () => counterEvents);
    const counterId = randomUUID();
    const reason = 'x'.repeat(950_000);
    const appended = await store.append({
      stream: { aggregateType: 'Counter', aggregateId: counterId },
      expectedVersion: 0,
      events: [{ type: 'Reset', data: { reason } }],
      metadata: { correlationId: randomUUID() },
      topic: fixture.eventTopic,
      occurredAt: new Date(),
    });
    const [summary] = await eventuallyListed(() => listed(`source=cdc-relay&aggregateId=${counterId}`), 1, 60_000);
    const stored = await messageOf(summary!.id);
    expect(stored).toMatchObject({
      status: 'parked',
      source: 'cdc-relay',
      original: { topic: fixture.eventTopic, partition: null, offset: null, key: counterId },
      payload: { omitted: true, sizeBytes: expect.any(Number) },
      event: { eventId: appended.events[0]!.eventId, aggregateType: 'Counter', aggregateId: counterId, sequence: 1, eventType: 'Reset' },
      error: { class: 'MessageTooLargeError' },
    });
    expect(stored.payload.sizeBytes).toBeGreaterThan(950_000);

    const replayed = await admin('POST', `/dlq/messages/${summary!.id}/replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: 'replayed', replayCount: 1 });
    expect(replayed.body.audit.at(-1)).toMatchObject({ action: 'replayed', actor: ADMIN_NAME });

    await eventually(() => expect(reader!.messages.filter((message) => message.key === counterId)).toHaveLength(1), 30_000, 100);
    const [arrived] = reader!.messages.filter((message) => message.key === counterId);
    expect(arrived!.headers[ReplayHeader.replayOf]).toBe(summary!.id);
    expect(arrived!.headers[ReplayHeader.replayedAt]).toEqual(expect.any(String));
    expect(arrived!.headers['event-id']).toBe(appended.events[0]!.eventId);
    expect(JSON.parse(arrived!.value!.toString())).toMatchObject({ aggregateId: counterId, sequence: 1, type: 'Reset', data: { reason } });

    // A second replay needs force; the consumer still has exactly one copy.
    const again = await admin('POST', `/dlq/messages/${summary!.id}/replay`, {});
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body.type).toContain('message-already-replayed');
    expect(reader!.messages.filter((message) => message.key === counterId)).toHaveLength(1);
    const forced = await admin('POST', `/dlq/messages/${summary!.id}/replay`, { force: true });
    expect(forced.body).toMatchObject({ status: 'replayed', replayCount: 2 });
    await eventually(() => expect(reader!.messages.filter((message) => message.key === counterId)).toHaveLength(2), 30_000, 100);
  });

  it('discards only with a reason, audited with the caller, and answers problems for the rest', async () => {
    const orderId = randomUUID();
    await fixture.sendDeadLetters([poisonDeadLetter(fixture.deadLetterTopic, eventMessageOf(orderEvent(fixture.eventTopic, orderId, 1)))]);
    const [summary] = await eventuallyListed(() => listed(`aggregateId=${orderId}`), 1);
    const path = `/dlq/messages/${summary!.id}/discard`;

    const withoutReason = await admin('POST', path, {});
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.body.type).toContain('validation-failed');
    expect((await admin('POST', path, { reason: '   ' })).status).toBe(400);
    expect((await read('POST', path, { reason: 'not mine to discard' })).status).toBe(403);
    expect((await api(dlq!.url, undefined)('POST', path, { reason: 'anonymous' })).status).toBe(401);
    expect((await api(dlq!.url, 'unknown-token-123')('GET', '/dlq/messages')).status).toBe(401);

    const discarded = await admin('POST', path, { reason: 'order was cancelled by hand' });
    expect(discarded.status).toBe(200);
    expect(discarded.body.status).toBe('discarded');
    expect(discarded.body.audit.at(-1)).toMatchObject({ action: 'discarded', actor: ADMIN_NAME, detail: { reason: 'order was cancelled by hand' } });
    expect((await admin('POST', path, { reason: 'again' })).status).toBe(409);
    expect((await admin('POST', `/dlq/messages/${summary!.id}/replay`)).body.type).toContain('message-discarded');

    const unknown = randomUUID();
    expect((await read('GET', `/dlq/messages/${unknown}`)).status).toBe(404);
    expect((await admin('POST', `/dlq/messages/${unknown}/replay`)).body).toMatchObject({ status: 404, type: expect.stringContaining('dlq-message-not-found') });
    expect((await read('GET', '/dlq/messages/not-an-id')).status).toBe(400);
    expect((await read('GET', '/dlq/messages?status=lost')).status).toBe(400);

    const stats = (await read('GET', '/dlq/stats')).body;
    expect(stats.bySource.projector).toMatchObject({ discarded: 1 });
    expect(stats.byErrorClass.ProjectionError.discarded).toBeGreaterThanOrEqual(1);
    expect(stats.total).toBe(stats.byStatus.parked + stats.byStatus.replayed + stats.byStatus.discarded);
  });
});

async function eventuallyListed<T>(list: () => Promise<T[]>, count: number, timeoutMs = 30_000): Promise<T[]> {
  let rows: T[] = [];
  await eventually(async () => {
    rows = await list();
    expect(rows).toHaveLength(count);
  }, timeoutMs, 100);
  return rows;
}
