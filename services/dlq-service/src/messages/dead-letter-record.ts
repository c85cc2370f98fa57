import { createHash } from 'node:crypto';
import { OutboxHeader } from '@scylla-es/es-core';
import { DeadLetterHeader, type ConsumedMessage } from '@scylla-es/es-core/kafka';
import { z } from 'zod';

/** One dead letter as it arrived on the dead-letter topic, read from its `dlq-*` headers (docs/parking-and-replay.md). */
export interface DeadLetterRecord {
  /** The id of the message this dead letter belongs to (see messageIdOf). */
  readonly id: string;
  /** Where it was read: "partition:offset" on the dead-letter topic. The same delivery twice changes nothing. */
  readonly delivery: string;
  readonly source: string;
  readonly topic?: string;
  readonly originalPartition?: number;
  readonly originalOffset?: string;
  readonly key?: string;
  /** The original message's own headers, `dlq-*` removed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly headersOmitted: boolean;
  /** The original value; undefined when it was omitted for size (the coordinates then say where it is). */
  readonly payload?: Buffer;
  readonly payloadSizeBytes?: number;
  readonly payloadSha256?: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly aggregateType?: string;
  readonly aggregateId?: string;
  readonly sequence?: number;
  readonly errorClass: string;
  readonly errorCode?: string;
  readonly errorMessage: string;
  readonly attempts: number;
  readonly failedAt: Date;
}

const text = z.string().min(1).optional().catch(undefined);
const count = z.coerce.number().int().min(0).optional().catch(undefined);
const time = z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional().catch(undefined);

/**
 * Lenient on purpose: a dead letter missing some headers (written by hand, by an older sender) is still a
 * failed message someone must see. It is stored with what it says, never dropped and never left blocking.
 */
const failureHeaders = z.object({
  [DeadLetterHeader.sourceService]: text,
  [DeadLetterHeader.originalTopic]: text,
  [DeadLetterHeader.originalKey]: z.string().optional().catch(undefined),
  [DeadLetterHeader.originalPartition]: count,
  [DeadLetterHeader.originalOffset]: z.string().regex(/^\d{1,19}$/).optional().catch(undefined),
  [DeadLetterHeader.errorClass]: text,
  [DeadLetterHeader.errorCode]: text,
  [DeadLetterHeader.errorMessage]: z.string().optional().catch(undefined),
  [DeadLetterHeader.attempts]: count,
  [DeadLetterHeader.failedAt]: time,
  [DeadLetterHeader.eventId]: text,
  [DeadLetterHeader.aggregateType]: text,
  [DeadLetterHeader.aggregateId]: text,
  [DeadLetterHeader.sequence]: count,
  [DeadLetterHeader.payloadOmitted]: z.string().optional().catch(undefined),
  [DeadLetterHeader.originalSizeBytes]: count,
  [DeadLetterHeader.originalSha256]: z.string().regex(/^[0-9a-f]{64}$/).optional().catch(undefined),
  [DeadLetterHeader.originalHeadersOmitted]: z.string().optional().catch(undefined),
});

export const UNKNOWN = 'unknown';

/** Reads a record of the dead-letter topic. Never throws: whatever it lacks is recorded as unknown. */
export function deadLetterRecordOf(message: ConsumedMessage): DeadLetterRecord {
  const failure = failureHeaders.parse(message.headers);
  const headers = Object.fromEntries(Object.entries(message.headers).filter(([name]) => !name.startsWith('dlq-')));
  const payloadOmitted = failure[DeadLetterHeader.payloadOmitted] === 'true';
  const source = failure[DeadLetterHeader.sourceService] ?? UNKNOWN;
  const eventId = failure[DeadLetterHeader.eventId];
  const topic = failure[DeadLetterHeader.originalTopic];
  const key = failure[DeadLetterHeader.originalKey] ?? message.key;
  const sha256 =
    failure[DeadLetterHeader.originalSha256] ??
    (message.value && !payloadOmitted ? createHash('sha256').update(message.value).digest('hex') : undefined);
  const delivery = `${message.partition}:${message.offset}`;
  return {
    id: messageIdOf(
      eventId !== undefined
        ? [source, eventId]
        : sha256 !== undefined
          ? [source, topic ?? '', key ?? '', sha256]
          : // Nothing names what failed: the dead letter itself is the message.
            [source, message.topic, delivery],
    ),
    delivery,
    source,
    topic,
    originalPartition: failure[DeadLetterHeader.originalPartition],
    originalOffset: failure[DeadLetterHeader.originalOffset],
    key,
    headers,
    headersOmitted: failure[DeadLetterHeader.originalHeadersOmitted] === 'true',
    payload: payloadOmitted || message.value === null ? undefined : message.value,
    payloadSizeBytes: failure[DeadLetterHeader.originalSizeBytes] ?? message.value?.length,
    payloadSha256: sha256,
    eventId,
    eventType: headers[OutboxHeader.eventType] ?? (payloadOmitted ? undefined : envelopeType(message.value)),
    aggregateType: failure[DeadLetterHeader.aggregateType],
    aggregateId: failure[DeadLetterHeader.aggregateId],
    sequence: failure[DeadLetterHeader.sequence],
    errorClass: failure[DeadLetterHeader.errorClass] ?? UNKNOWN,
    errorCode: failure[DeadLetterHeader.errorCode],
    errorMessage: failure[DeadLetterHeader.errorMessage] ?? '',
    attempts: failure[DeadLetterHeader.attempts] ?? 1,
    failedAt: failure[DeadLetterHeader.failedAt] ?? message.timestamp,
  };
}

/**
 * A message's id: a UUID (version 5 layout) of what identifies the failed message, so every dead letter of the
 * same event, from the same source, lands on the same message (docs/parking-and-replay.md, identity).
 */
export function messageIdOf(parts: readonly string[]): string {
  const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The envelope's `type` when the value is the relay's JSON envelope and carries no `event-type` header. */
function envelopeType(value: Buffer | null): string | undefined {
  if (!value || value.length > 1_000_000) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    const type = typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown }).type : undefined;
    return typeof type === 'string' && type.length > 0 ? type : undefined;
  } catch {
    return undefined;
  }
}
