import type { EventRow } from '@scylla-es/es-core';
import { ReplayHeader, eventRowMessage, MalformedEventRowError, type OutboundMessage } from '@scylla-es/es-core/kafka';
import type { DlqMessage } from '../messages/dlq-message';
import { NotReplayableError } from './replay-errors';

/** Reads one event's row from event_store (CqlEventRows.one). */
export type EventRowSource = (aggregateId: string, sequence: number) => Promise<EventRow | undefined>;

/**
 * The message a replay sends (docs/parking-and-replay.md): the original, to its original topic, with its key
 * and headers, plus `dlq-replay-of` and `dlq-replayed-at`. When the dead letter could not keep the payload or
 * the headers, the event is reloaded from event_store by its coordinates and rebuilt as the relay built it.
 */
export async function replayMessageOf(message: DlqMessage, replayedAt: Date, eventRow: EventRowSource): Promise<OutboundMessage> {
  const { id, topic, key } = message;
  if (!topic || key === undefined) throw new NotReplayableError(id, 'the dead letter names no original topic or key');
  const original = message.payload && !message.headersOmitted ? { value: message.payload, headers: message.headers } : await reloaded(message, eventRow);
  return {
    topic,
    key,
    value: original.value,
    headers: { ...original.headers, [ReplayHeader.replayOf]: id, [ReplayHeader.replayedAt]: replayedAt.toISOString() },
  };
}

async function reloaded(message: DlqMessage, eventRow: EventRowSource): Promise<Pick<OutboundMessage, 'value' | 'headers'>> {
  const { id, aggregateId, sequence } = message;
  if (aggregateId === undefined || sequence === undefined) {
    throw new NotReplayableError(id, 'the payload was not kept and the dead letter names no event to reload it from');
  }
  const row = await eventRow(aggregateId, sequence);
  if (!row) throw new NotReplayableError(id, `event_store has no event ${aggregateId}/${sequence}`);
  try {
    const rebuilt = eventRowMessage(row);
    return { value: message.payload ?? rebuilt.value, headers: message.headersOmitted ? rebuilt.headers : message.headers };
  } catch (error) {
    if (error instanceof MalformedEventRowError) throw new NotReplayableError(id, error.message);
    throw error;
  }
}
