import { OutboxHeader } from '@scylla-es/es-core';
import type { ConsumedMessage } from '@scylla-es/es-core/kafka';
import { checkResult, type CheckResult } from './check-result';
import type { StoredStream } from './stored-streams';

/**
 * event_store against the event topics read from offset 0: every stored event is on its aggregate's topic, in one
 * partition per aggregate, and each event is first seen after its predecessor (a redelivery may repeat older
 * events, but a new event never overtakes one of its aggregate). Repeats are counted per topic and bounded: no
 * event more than `maxCopies` times (at-least-once delivery re-reads a window after a crash, not forever).
 */
export function deliveryCheck(
  streams: ReadonlyMap<string, StoredStream>,
  messages: readonly ConsumedMessage[],
  topicOf: (stream: StoredStream) => string,
  maxCopies: number,
): CheckResult {
  const byAggregate = new Map<string, ConsumedMessage[]>();
  for (const message of messages) {
    const aggregateId = message.headers[OutboxHeader.aggregateId];
    if (aggregateId === undefined || !streams.has(aggregateId)) continue;
    byAggregate.set(aggregateId, [...(byAggregate.get(aggregateId) ?? []), message]);
  }
  const violations: string[] = [];
  const copies = new Map<string, number>();
  const repeatsPerTopic = new Map<string, number>();
  for (const stream of streams.values()) {
    const received = (byAggregate.get(stream.aggregateId) ?? []).sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    const places = new Set(received.map((message) => `${message.topic}/${message.partition}`));
    if (places.size > 1) violations.push(`${stream.aggregateId}: spread over ${[...places].join(', ')}`);
    const wrongTopic = received.find((message) => message.topic !== topicOf(stream));
    if (wrongTopic) violations.push(`${stream.aggregateId}: on ${wrongTopic.topic}, expected ${topicOf(stream)}`);
    const firstSightings: number[] = [];
    for (const message of received) {
      const eventId = message.headers[OutboxHeader.eventId] ?? '';
      const seen = copies.get(eventId) ?? 0;
      copies.set(eventId, seen + 1);
      if (seen > 0) repeatsPerTopic.set(message.topic, (repeatsPerTopic.get(message.topic) ?? 0) + 1);
      else firstSightings.push(Number(message.headers[OutboxHeader.sequence]));
    }
    const stored = stream.events.map((event) => event.sequence);
    if (JSON.stringify(firstSightings) !== JSON.stringify(stored)) {
      violations.push(`${stream.aggregateId}: stored ${JSON.stringify(stored)}, first seen on Kafka ${JSON.stringify(firstSightings)}`);
    }
    const storedIds = new Set(stream.events.map((event) => event.eventId));
    for (const message of received) {
      const eventId = message.headers[OutboxHeader.eventId] ?? '';
      if (!storedIds.has(eventId)) violations.push(`${stream.aggregateId}: event ${eventId} on Kafka is not in event_store`);
    }
  }
  const overCopied = [...copies].filter(([, count]) => count > maxCopies);
  violations.push(...overCopied.map(([eventId, count]) => `event ${eventId} published ${count} times (bound ${maxCopies})`));
  const figures: Record<string, number> = { 'messages of the storm': [...byAggregate.values()].reduce((sum, list) => sum + list.length, 0) };
  for (const [topic, repeats] of repeatsPerTopic) figures[`repeats on ${topic}`] = repeats;
  figures['most copies of one event'] = Math.max(0, ...copies.values());
  return checkResult('every stored event on Kafka, in order per key', violations, figures);
}
