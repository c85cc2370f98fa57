import type { EventMetadata, EventUpcasting, RecordedEvent } from '@scylla-es/es-core';
import type { ConsumedMessage } from '@scylla-es/es-core/kafka';
import { z } from 'zod';

/** The JSON envelope the cdc-relay publishes as a message value (docs/architecture.md). */
const eventEnvelopeSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.int().positive(),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
  sequence: z.int().positive(),
  occurredAt: z.iso.datetime({ offset: true }).transform((text) => new Date(text)),
  data: z.unknown(),
  metadata: z.object({ correlationId: z.string() }).loose(),
});

/** A message that is not an event envelope: it can never be applied, whatever is retried. */
export class MalformedEventMessageError extends Error {
  constructor(message: ConsumedMessage, reason: string) {
    super(`message ${message.topic}/${message.partition}@${message.offset} is not an event: ${reason}`);
    this.name = 'MalformedEventMessageError';
  }
}

/** The relay's envelope of one event, as read from a message (its data as stored, not yet upcast). */
export type EventEnvelope = z.output<typeof eventEnvelopeSchema>;

/** The envelope a message carries; throws MalformedEventMessageError when it carries none. */
export function eventEnvelopeOf(message: ConsumedMessage): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch {
    throw new MalformedEventMessageError(message, 'the value is not JSON');
  }
  const parsed = eventEnvelopeSchema.safeParse(json);
  if (!parsed.success) throw new MalformedEventMessageError(message, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return parsed.data;
}

/**
 * The recorded event a message carries, its data lifted to the current schema by the aggregate's upcasters,
 * exactly as the command side reads it from event_store. `undefined` when no model projects the aggregate type.
 */
export function eventOfMessage(
  message: ConsumedMessage,
  upcastingFor: (aggregateType: string) => EventUpcasting | undefined,
): RecordedEvent | undefined {
  return eventOfEnvelope(eventEnvelopeOf(message), upcastingFor);
}

/** The recorded event of an envelope already read from its message (see eventOfMessage). */
export function eventOfEnvelope(
  envelope: EventEnvelope,
  upcastingFor: (aggregateType: string) => EventUpcasting | undefined,
): RecordedEvent | undefined {
  const upcasting = upcastingFor(envelope.aggregateType);
  if (!upcasting) return undefined;
  return {
    eventId: envelope.eventId,
    type: envelope.type,
    schemaVersion: upcasting.currentVersion(envelope.type),
    aggregateType: envelope.aggregateType,
    aggregateId: envelope.aggregateId,
    sequence: envelope.sequence,
    occurredAt: envelope.occurredAt,
    data: upcasting.lift(envelope.type, envelope.schemaVersion, envelope.data),
    metadata: envelope.metadata as EventMetadata,
  };
}
