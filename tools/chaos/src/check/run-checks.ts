import { OutboxHeader } from '@scylla-es/es-core';
import { DeadLetterHeader } from '@scylla-es/es-core/kafka';
import { CUSTOMER_TOPIC, ORDER_TOPIC } from '@scylla-es/domain';
import type { CommandLedger } from '../load/ledger';
import type { Stack } from '../stack/stack';
import type { CheckResult } from './check-result';
import { commandChecks } from './command-checks';
import { deadLetterCheck } from './dead-letter-checks';
import { deliveryCheck } from './delivery-checks';
import { readModelCheck } from './read-model-checks';
import { lagCheck, readinessCheck } from './settled-checks';
import { readStoredStreams } from './stored-streams';
import { readTopicsToEnd } from './topic-reader';

export interface CheckInputs {
  readonly stack: Stack;
  readonly ledger: CommandLedger;
  readonly poisoned: ReadonlySet<string>;
  readonly since: Date;
  /** The most times one event may be on Kafka. */
  readonly maxCopies: number;
}

/**
 * Every invariant, each store read by the checker itself: event_store through its own CQL session, both event
 * topics and the dead-letter topic from offset 0 with a consumer of its own, the read models through the
 * projector's query API, the dead letters through the dlq-service's API, lag from the broker's group offsets.
 */
export async function runChecks({ stack, ledger, poisoned, since, maxCopies }: CheckInputs): Promise<CheckResult[]> {
  const aggregates = ledger.aggregates();
  const streams = await readStoredStreams(stack.client, stack.keyspace, aggregates);
  const ours = (id: string | undefined) => id !== undefined && (aggregates.has(id) || poisoned.has(id));
  const eventMessages = await readTopicsToEnd(stack.kafka, stack.eventTopics, (message) => ours(message.headers[OutboxHeader.aggregateId]));
  const deadLetters = await readTopicsToEnd(stack.kafka, [stack.deadLetterTopic], (message) => ours(message.headers[DeadLetterHeader.aggregateId]));
  return [
    ...commandChecks(ledger.commands, streams),
    deliveryCheck(streams, eventMessages, (stream) => (stream.kind === 'Order' ? ORDER_TOPIC : CUSTOMER_TOPIC), maxCopies),
    await readModelCheck(streams, stack.urls.projector, stack.tokens.read),
    await deadLetterCheck(poisoned, new Set(aggregates.keys()), {
      dlqUrl: stack.urls['dlq-service'],
      projectorUrl: stack.urls.projector,
      adminToken: stack.tokens.admin,
      since,
      topicMessages: deadLetters,
    }),
    await readinessCheck(stack.urls),
    await lagCheck(stack.kafka, [
      { groupId: stack.consumerGroups.projector, topics: stack.eventTopics },
      { groupId: stack.consumerGroups.dlq, topics: [stack.deadLetterTopic] },
    ]),
  ];
}
