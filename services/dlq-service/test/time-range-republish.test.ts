import { randomUUID } from 'node:crypto';
import { CqlEventStore } from '@scylla-es/es-core/cql';
import { ReplayHeader, type ConsumedMessage } from '@scylla-es/es-core/kafka';
import { counterEvents, eventually } from '@scylla-es/es-core/testing';
import { startDlqService, type RunningDlqService } from '../src';
import { api, type Api } from './support/api';
import { ADMIN_TOKEN, dlqFixture, type DlqFixture } from './support/dlq-fixture';
import { readTopic, type TopicReader } from './support/topic-reader';

jest.setTimeout(180_000);

/** Each aggregate has one event a day: day d's event is sequence d + 1. The range asked for is days 1 and 2. */
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'].map((day) => new Date(`${day}T12:00:00Z`));
const RANGE = { aggregateType: 'Counter', from: '2026-03-02T00:00:00Z', to: '2026-03-04T00:00:00Z' };
const IN_RANGE = [2, 3];
const MAX = 5;

/**
 * Republishing an aggregate type over a time range: the scan of event_store sends exactly the events of that type
 * that occurred in the range, each aggregate's in order, with the replay headers; calls bounded by `max` or by the
 * time budget go on from their cursor and together send every event once; a stored row that cannot become a
 * message skips its aggregate (time range) or answers 422 (one aggregate).
 */
describe('time-range republish', () => {
  let fixture: DlqFixture;
  let dlq: RunningDlqService;
  let reader: TopicReader;
  let admin: Api;
  const counters = Array.from({ length: 9 }, () => randomUUID());
  const gauges: string[] = Array.from({ length: 3 }, () => randomUUID());
  const malformed = counters[0]!;
  const good = counters.slice(1);

  /** Every call of one republish, following `next`, with what each answered. */
  const allCalls = async (service: RunningDlqService, body: Record<string, unknown>) => {
    const call = api(service.url, ADMIN_TOKEN);
    const answers: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const answer = await call('POST', '/dlq/republish', { ...body, ...(cursor ? { cursor } : {}) });
      expect(answer.status).toBe(200);
      answers.push(answer.body);
      cursor = answer.body.next;
    } while (cursor !== null && answers.length <= counters.length);
    expect(cursor).toBeNull();
    return answers;
  };
  const republishedBy = (republishId: string): ConsumedMessage[] =>
    reader.messages.filter((message) => message.headers[ReplayHeader.republishOf] === republishId);
  const sequencesByKey = (messages: readonly ConsumedMessage[]): Map<string, number[]> => {
    const byKey = new Map<string, number[]>();
    for (const message of messages) byKey.set(message.key!, [...(byKey.get(message.key!) ?? []), JSON.parse(message.value!.toString()).sequence]);
    return byKey;
  };
  /** What every complete republish of the range must have sent: days 1 and 2 of each well-formed counter. */
  const expectEveryGoodCounterOnce = async (republishId: string) => {
    await eventually(() => expect(republishedBy(republishId)).toHaveLength(good.length * IN_RANGE.length), 30_000, 100);
    const byKey = sequencesByKey(republishedBy(republishId));
    expect([...byKey.keys()].sort()).toEqual([...good].sort());
    for (const sequences of byKey.values()) expect(sequences).toEqual(IN_RANGE);
  };

  beforeAll(async () => {
    fixture = await dlqFixture('dlqrange');
    const store = new CqlEventStore(fixture.client, fixture.keyspace, () => counterEvents);
    const streams = [...counters.map((aggregateId) => ({ aggregateType: 'Counter', aggregateId })), ...gauges.map((aggregateId) => ({ aggregateType: 'Gauge', aggregateId }))];
    await Promise.all(
      streams.map(async (stream) => {
        for (const [day, occurredAt] of DAYS.entries()) {
          await store.append({
            stream,
            expectedVersion: day,
            events: [{ type: 'Incremented', data: { by: day + 1 } }],
            metadata: { correlationId: randomUUID() },
            topic: fixture.eventTopic,
            occurredAt,
          });
        }
      }),
    );
    // A row whose outbox envelope was lost can never be sent as the relay sent it.
    await fixture.client.execute(`UPDATE ${fixture.keyspace}.event_store SET topic = null WHERE aggregate_id = ? AND sequence = 3`, [malformed], { prepare: true });
    dlq = await startDlqService(fixture.env(), { collectDefaultMetrics: false });
    admin = api(dlq.url, ADMIN_TOKEN);
    reader = await readTopic(fixture.kafka, fixture.eventTopic);
  });
  afterAll(async () => {
    await reader?.stop();
    await dlq?.close();
    await fixture?.drop();
  });

  it('sends exactly the events of the type in the range, in order per aggregate, over calls of at most max events', async () => {
    const answers = await allCalls(dlq, { ...RANGE, max: MAX });
    const [first] = answers;
    const republishId = first!.republishId as string;
    expect(answers.length).toBeGreaterThan(1);
    for (const answer of answers) {
      expect(answer).toMatchObject({ republishId, aggregateType: 'Counter', from: '2026-03-02T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', max: MAX });
      expect(answer.events).toBeLessThanOrEqual(MAX);
      expect(answer.events).toBe((answer.aggregates as number) * IN_RANGE.length);
      expect(answer.stoppedBy).toBe(answer.next === null ? null : 'max');
    }
    expect(answers.reduce((sum, answer) => sum + (answer.aggregates as number), 0)).toBe(good.length);
    expect(answers.reduce((sum, answer) => sum + (answer.malformedAggregates as number), 0)).toBe(1);
    expect(answers.flatMap((answer) => answer.malformed as unknown[])).toEqual([
      { aggregateId: malformed, sequence: 3, reason: 'malformed event row: no topic or message key' },
    ]);

    await expectEveryGoodCounterOnce(republishId);
    const sent = republishedBy(republishId);
    const replayedAts = new Set(sent.map((message) => message.headers[ReplayHeader.replayedAt]));
    expect(replayedAts).toEqual(new Set(answers.filter((answer) => answer.events !== 0).map((answer) => answer.republishedAt)));
    for (const message of sent) {
      expect(message.headers).toMatchObject({ 'aggregate-type': 'Counter', 'aggregate-id': message.key });
      expect(message.headers[ReplayHeader.replayOf]).toBeUndefined();
      const envelope = JSON.parse(message.value!.toString());
      expect(new Date(envelope.occurredAt).getTime()).toBeGreaterThanOrEqual(Date.parse(RANGE.from));
      expect(new Date(envelope.occurredAt).getTime()).toBeLessThan(Date.parse(RANGE.to));
    }
    expect(reader.messages.filter((message) => gauges.includes(message.key!) || message.key === malformed)).toEqual([]);
  });

  it('goes on from its cursor when the time budget cuts a call short, each call sending what it handled', async () => {
    // Its own group, so the first instance keeps its dead-letter partitions.
    const hurried = await startDlqService(fixture.env({ DLQ_REPUBLISH_TIME_BUDGET_MS: '0', DLQ_GROUP_ID: `${fixture.keyspace}-hurried` }), { collectDefaultMetrics: false });
    try {
      const answers = await allCalls(hurried, RANGE);
      // Past its budget from the start, every call handles one aggregate and stops before the next.
      expect(answers).toHaveLength(counters.length);
      for (const answer of answers) {
        expect((answer.aggregates as number) + (answer.malformedAggregates as number)).toBe(1);
        expect(answer.stoppedBy).toBe(answer.next === null ? null : 'time-budget');
        expect(answer.max).toBe(10_000);
      }
      await expectEveryGoodCounterOnce(answers[0]!.republishId as string);
    } finally {
      await hurried.close();
    }
  });

  it('refuses a cursor of another range, and answers 422 for one aggregate whose stored row cannot be sent', async () => {
    const first = await admin('POST', '/dlq/republish', { ...RANGE, max: 1 });
    expect(first.body.next).toEqual(expect.any(String));
    const otherRange = await admin('POST', '/dlq/republish', { ...RANGE, to: '2026-03-05T00:00:00Z', cursor: first.body.next });
    expect(otherRange).toMatchObject({ status: 400, body: { type: expect.stringContaining('invalid-cursor') } });
    expect((await admin('POST', '/dlq/republish', { ...RANGE, max: 0 })).status).toBe(400);
    expect((await admin('POST', '/dlq/republish', { ...RANGE, aggregateId: good[0] })).status).toBe(400);

    const single = await admin('POST', '/dlq/republish', { aggregateType: 'Counter', aggregateId: malformed });
    expect(single).toMatchObject({
      status: 422,
      body: { type: expect.stringContaining('stored-event-malformed'), aggregateId: malformed, sequence: 3, sentBefore: 0 },
    });
  });
});
