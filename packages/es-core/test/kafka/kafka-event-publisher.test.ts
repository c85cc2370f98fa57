import type { OutboundMessage } from '../../src/kafka/event-publisher';
import { KafkaEventPublisher } from '../../src/kafka/kafka-event-publisher';
import { ensureTopics } from '../../src/kafka/topic-admin';
import { deleteTopics, eventMessage, readTopic, testKafka, testLogger, uniqueTopic } from './kafka-test-support';

describe('KafkaEventPublisher on a real broker', () => {
  const kafka = testKafka('publisher-test');
  const first = uniqueTopic('counters');
  const second = uniqueTopic('others');
  const publisher = new KafkaEventPublisher(kafka, { logger: testLogger() });

  beforeAll(() => ensureTopics(kafka, [{ topic: first }, { topic: second, partitions: 2 }]));
  afterAll(async () => {
    await publisher.disconnect();
    await deleteTopics(kafka, [first, second]);
  });

  it('publishes batches across topics, in order per key, with their headers, exactly once', async () => {
    const aggregates = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'];
    const sent: OutboundMessage[] = [];
    for (let batch = 0; batch < 4; batch += 1) {
      const messages = Array.from({ length: 50 }, (_, index) => {
        const aggregateId = aggregates[index % aggregates.length] as string;
        const sequence = batch * 10 + Math.floor(index / aggregates.length) + 1;
        return eventMessage(index % 10 === 9 ? second : first, aggregateId, sequence);
      });
      await publisher.publish(messages);
      sent.push(...messages);
    }

    const received = { [first]: await readTopic(kafka, first), [second]: await readTopic(kafka, second) };
    expect((received[first]?.length ?? 0) + (received[second]?.length ?? 0)).toBe(sent.length);
    for (const topic of [first, second]) {
      for (const aggregateId of aggregates) {
        const eventIds = (messages: readonly { key: string; headers: Readonly<Record<string, string>> }[]) =>
          messages.filter((m) => m.key === aggregateId).map((m) => m.headers['event-id']);
        expect(eventIds(received[topic] ?? [])).toEqual(eventIds(sent.filter((m) => m.topic === topic)));
      }
    }
    const one = sent[0] as OutboundMessage;
    const copy = received[first]?.find((m) => m.headers['event-id'] === one.headers['event-id']);
    expect(copy?.headers).toEqual(one.headers);
    expect(copy?.value.toString()).toBe(one.value);
  });

  it('keeps each request under the size limit, so many medium messages for one key still get through', async () => {
    const messages = Array.from({ length: 12 }, (_, index) => eventMessage(first, 'medium', index + 1, 'm'.repeat(200_000)));
    const before = (await readTopic(kafka, first)).length;
    await publisher.publish(messages);
    const after = await readTopic(kafka, first);
    expect(after.length - before).toBe(12);
    expect(after.filter((m) => m.key === 'medium').map((m) => Number(m.headers.sequence))).toEqual(
      Array.from({ length: 12 }, (_, index) => index + 1),
    );
  });
});
