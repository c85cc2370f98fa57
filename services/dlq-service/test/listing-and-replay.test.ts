import { randomUUID } from 'node:crypto';
import { CqlEventStore } from '@scylla-es/es-core/cql';
import { ReplayHeader } from '@scylla-es/es-core/kafka';
import { counterEvents, eventually } from '@scylla-es/es-core/testing';
import { messageIdOf, startDlqService, type RunningDlqService } from '../src';
import { api, type Api } from './support/api';
import { ADMIN_TOKEN, dlqFixture, eventMessageOf, orderEvent, poisonDeadLetter, type DlqFixture } from './support/dlq-fixture';
import { readTopic, type TopicReader } from './support/topic-reader';

jest.setTimeout(300_000);

interface Expected {
  readonly id: string;
  readonly source: string;
  readonly errorClass: string;
  readonly eventType: string;
  readonly aggregateId: string;
  readonly failedAt: Date;
}

const MESSAGES = 2_000;
const DAY_MS = 86_400_000;
const START = Date.parse('2026-11-20T00:00:00.000Z');

/** Listings over a few thousand messages, bulk replay (max, dryRun, two at once) and republish from event_store. */
describe('listing, bulk replay and republish', () => {
  let fixture: DlqFixture;
  let dlq: RunningDlqService;
  let reader: TopicReader;
  let admin: Api;
  const expected: Expected[] = [];
  const aggregates = Array.from({ length: 40 }, () => randomUUID());

  /** Every page of a listing, following `next`; each page at most `limit` rows. */
  const everyPage = async (query: string, limit: number): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const answer = await admin('GET', `/dlq/messages?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.messages.length).toBeLessThanOrEqual(limit);
      ids.push(...answer.body.messages.map((message: { id: string }) => message.id));
      cursor = answer.body.next;
    } while (cursor !== null);
    return ids;
  };
  /** Newest last failure first, then id descending: the listing's order. */
  const newestFirst = (rows: Expected[]) =>
    [...rows].sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime() || (a.id < b.id ? 1 : -1)).map((row) => row.id);
  const replaysOf = (id: string) => reader.messages.filter((message) => message.headers[ReplayHeader.replayOf] === id).length;

  beforeAll(async () => {
    fixture = await dlqFixture('dlqlisting');
    dlq = await startDlqService(fixture.env({ DLQ_REPLAY_RATE_PER_SECOND: '500', DLQ_LIST_SCAN_BUDGET: '700' }), { collectDefaultMetrics: false });
    admin = api(dlq.url, ADMIN_TOKEN);
    reader = await readTopic(fixture.kafka, fixture.eventTopic);
    const letters = Array.from({ length: MESSAGES }, (_, index) => {
      const aggregateId = aggregates[index % aggregates.length]!;
      const event = orderEvent(fixture.eventTopic, aggregateId, Math.floor(index / aggregates.length) + 1, index % 3 === 0 ? 'OrderShipped' : 'OrderConfirmed');
      const source = index % 4 === 0 ? 'cdc-relay' : 'projector';
      const errorClass = ['TypeError', 'ProjectionError', 'MessageTooLargeError'][index % 5 % 3]!;
      // Spread over six days, several failures sharing a millisecond (ties are broken by id).
      const failedAt = new Date(START + Math.floor((index * 6 * DAY_MS) / MESSAGES / 7) * 7);
      expected.push({ id: messageIdOf([source, event.eventId]), source, errorClass, eventType: event.type, aggregateId, failedAt });
      return poisonDeadLetter(fixture.deadLetterTopic, eventMessageOf(event), { source, errorClass, failedAt, offset: String(index) });
    });
    await eventually(() => expect(dlq.joined()).toBe(true), 60_000, 100);
    await fixture.sendDeadLetters(letters);
    await eventually(async () => expect((await admin('GET', '/dlq/stats')).body.total).toBe(MESSAGES), 180_000, 1_000);
  });
  afterAll(async () => {
    await reader?.stop();
    await dlq?.close();
    await fixture?.drop();
  });

  it.each([
    ['every message', '', () => true, 97],
    ['one source', 'source=cdc-relay', (row: Expected) => row.source === 'cdc-relay', 50],
    ['source and error class', 'source=projector&errorClass=TypeError', (row: Expected) => row.source === 'projector' && row.errorClass === 'TypeError', 100],
    ['one aggregate', `aggregateId=${'AGG'}`, (row: Expected, aggregateId: string) => row.aggregateId === aggregateId, 7],
    [
      'an event type in a time range',
      `eventType=OrderShipped&from=2026-11-21T06:00:00.000Z&to=2026-11-23T00:00:00.000Z`,
      (row: Expected) => row.eventType === 'OrderShipped' && row.failedAt >= new Date('2026-11-21T06:00:00.000Z') && row.failedAt < new Date('2026-11-23T00:00:00.000Z'),
      33,
    ],
  ])('pages through %s: exactly the matching messages, each once, newest first', async (_name, query, predicate, limit) => {
    const aggregateId = aggregates[3]!;
    const ids = await everyPage(`status=parked&${query.replace('AGG', aggregateId)}`, limit);
    expect(ids).toEqual(newestFirst(expected.filter((row) => predicate(row, aggregateId))));
  });

  it('refuses a cursor of another listing', async () => {
    const first = await admin('GET', '/dlq/messages?source=projector&limit=5');
    const other = await admin('GET', `/dlq/messages?source=cdc-relay&limit=5&cursor=${encodeURIComponent(first.body.next)}`);
    expect(other.status).toBe(400);
    expect(other.body.type).toContain('invalid-cursor');
  });

  it('bulk replay honours dryRun and max, and two at once never send a message twice', async () => {
    const aggregateId = aggregates[5]!;
    const ofAggregate = newestFirst(expected.filter((row) => row.aggregateId === aggregateId));

    const dry = await admin('POST', '/dlq/replay', { filter: { aggregateId }, max: 10, dryRun: true });
    expect(dry.body).toMatchObject({ dryRun: true, selected: 10, more: true, replayed: ofAggregate.slice(0, 10), skipped: [], failed: [] });
    expect((await admin('GET', `/dlq/messages?aggregateId=${aggregateId}&status=replayed`)).body.messages).toEqual([]);

    const bounded = await admin('POST', '/dlq/replay', { filter: { aggregateId }, max: 3 });
    expect(bounded.body).toMatchObject({ dryRun: false, selected: 3, more: true, replayed: ofAggregate.slice(0, 3) });

    // Both select the same parked messages; each is replayed by exactly one of them.
    const selection = { filter: { aggregateId, status: 'parked' }, max: 1_000 };
    const [first, second] = await Promise.all([admin('POST', '/dlq/replay', selection), admin('POST', '/dlq/replay', selection)]);
    const replayedByEither = [...first!.body.replayed, ...second!.body.replayed];
    expect(new Set(replayedByEither).size).toBe(replayedByEither.length);
    expect([...replayedByEither].sort()).toEqual(ofAggregate.slice(3).sort());
    expect(first!.body.failed).toEqual([]);
    expect(second!.body.failed).toEqual([]);

    await eventually(() => expect(ofAggregate.map(replaysOf)).toEqual(ofAggregate.map(() => 1)), 60_000, 200);
    const notOfAggregate = expected.filter((row) => row.aggregateId !== aggregateId).map((row) => row.id);
    expect(notOfAggregate.filter((id) => replaysOf(id) > 0)).toEqual([]);
    expect((await admin('POST', '/dlq/replay', selection)).body).toMatchObject({ selected: 0, replayed: [] });
  });

  it('republishes the stored events of one aggregate in order, with the replay headers', async () => {
    const store = new CqlEventStore(fixture.client, fixture.keyspace, () => counterEvents);
    const counterId = randomUUID();
    await store.append({
      stream: { aggregateType: 'Counter', aggregateId: counterId },
      expectedVersion: 0,
      events: Array.from({ length: 6 }, (_, index) => ({ type: 'Incremented', data: { by: index + 1 } })),
      metadata: { correlationId: randomUUID() },
      topic: fixture.eventTopic,
      occurredAt: new Date(),
    });
    const answer = await admin('POST', '/dlq/republish', { aggregateType: 'Counter', aggregateId: counterId, fromSequence: 2, toSequence: 5 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ aggregateType: 'Counter', aggregateId: counterId, events: 4, fromSequence: 2, toSequence: 5 });
    await eventually(() => expect(reader.messages.filter((message) => message.key === counterId)).toHaveLength(4), 30_000, 100);
    const arrived = reader.messages.filter((message) => message.key === counterId);
    expect(arrived.map((message) => JSON.parse(message.value!.toString()).sequence)).toEqual([2, 3, 4, 5]);
    for (const message of arrived) {
      expect(message.headers).toMatchObject({ [ReplayHeader.republishOf]: answer.body.republishId, 'aggregate-id': counterId });
      expect(message.headers[ReplayHeader.replayedAt]).toBe(answer.body.republishedAt);
    }
    expect((await admin('POST', '/dlq/republish', { aggregateType: 'Order', aggregateId: counterId })).status).toBe(404);
  });
});
