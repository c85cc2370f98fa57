import { createHash } from 'node:crypto';
import { OutboxHeader } from '../core/envelope/event-envelope';
import type { EventPublisher, OutboundMessage } from './event-publisher';
import { RECORD_BATCH_OVERHEAD_BYTES, estimateRecordBytes } from './outbound-batches';
import { protocolErrorType } from './publish-errors';

export const DEFAULT_DEAD_LETTER_TOPIC = 'dead-letters';

/**
 * Whatever made the original fail (often its size), its dead letter must get through: it stays well under
 * Kafka's default message.max.bytes (~1 MB), and a payload that does not fit is replaced by its size and hash.
 */
export const DEFAULT_DEAD_LETTER_MAX_BYTES = 900 * 1024;

const MAX_ERROR_MESSAGE_CHARS = 1_000;
const MAX_KEY_CHARS = 1_000;

/**
 * Headers of a dead letter (docs/architecture.md). Everything `dlq-*` describes the failure; every other header
 * is the original message's, kept as it was so a replay can republish it unchanged (after dropping `dlq-*`).
 */
export const DeadLetterHeader = {
  sourceService: 'dlq-source-service',
  originalTopic: 'dlq-original-topic',
  originalKey: 'dlq-original-key',
  /** Where a consumer read the record it gives up; absent for a message that never reached Kafka. */
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  /** The error's class, e.g. KafkaJSProtocolError or MessageTooLargeError. */
  errorClass: 'dlq-error-class',
  /** The broker's error name when it gave one, e.g. MESSAGE_TOO_LARGE. */
  errorCode: 'dlq-error-code',
  errorMessage: 'dlq-error-message',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
  /** The event's coordinates in event_store, when the message is an event. */
  eventId: 'dlq-event-id',
  aggregateType: 'dlq-aggregate-type',
  aggregateId: 'dlq-aggregate-id',
  sequence: 'dlq-sequence',
  /** "true" when the value is a marker instead of the original payload. */
  payloadOmitted: 'dlq-payload-omitted',
  originalSizeBytes: 'dlq-original-size-bytes',
  originalSha256: 'dlq-original-sha256',
  /** "true" when the original headers were too large to keep. */
  originalHeadersOmitted: 'dlq-original-headers-omitted',
} as const;

/**
 * Headers the dlq-service adds to a message it sends again to its original topic (docs/parking-and-replay.md):
 * a consumer recognises a replay by them.
 */
export const ReplayHeader = {
  /** The id of the dlq-service's message being replayed. */
  replayOf: 'dlq-replay-of',
  /** ISO-8601 time of the replay or republish. */
  replayedAt: 'dlq-replayed-at',
  /** On an event republished from event_store: the id of that republish request. */
  republishOf: 'dlq-republish-of',
} as const;

/** Where an event's coordinates are in its own headers and JSON envelope (see outboxHeaders, docs/architecture.md). */
const COORDINATES = [
  { header: OutboxHeader.eventId, field: 'eventId', deadLetterHeader: DeadLetterHeader.eventId },
  { header: OutboxHeader.aggregateType, field: 'aggregateType', deadLetterHeader: DeadLetterHeader.aggregateType },
  { header: OutboxHeader.aggregateId, field: 'aggregateId', deadLetterHeader: DeadLetterHeader.aggregateId },
  { header: OutboxHeader.sequence, field: 'sequence', deadLetterHeader: DeadLetterHeader.sequence },
] as const;

export interface DeadLetter {
  readonly message: OutboundMessage;
  readonly error: unknown;
  /** Attempts (to publish, or to handle) made before giving the message up. */
  readonly attempts: number;
  /** Where the message was consumed, when a consumer gives up a record it read from Kafka. */
  readonly consumedAt?: { readonly partition: number; readonly offset: string };
}

/** Where failed messages go; the ResilientPublisher depends on this, not on Kafka. */
export interface DeadLetterSink {
  send(deadLetters: readonly DeadLetter[]): Promise<void>;
}

/** Dead letters could not be published: the caller must stop advancing, or the messages would be lost. */
export class DeadLetterPublishError extends Error {
  constructor(
    readonly deadLetters: readonly DeadLetter[],
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${deadLetters.length} dead letter(s) could not be published: ${reason}`, { cause });
    this.name = 'DeadLetterPublishError';
  }
}

export interface DeadLetterOptions {
  /** The service giving the message up, e.g. "cdc-relay". */
  readonly sourceService: string;
  readonly topic?: string;
  readonly maxBytes?: number;
}

export interface DeadLetterSenderOptions extends DeadLetterOptions {
  readonly publisher: EventPublisher;
  readonly now?: () => Date;
}

/** Publishes failed messages to the dead-letter topic, for the dlq-service to store. */
export class DeadLetterSender implements DeadLetterSink {
  constructor(private readonly options: DeadLetterSenderOptions) {}

  get topic(): string {
    return this.options.topic ?? DEFAULT_DEAD_LETTER_TOPIC;
  }

  /** Resolves once every dead letter is acknowledged; otherwise throws DeadLetterPublishError. */
  async send(deadLetters: readonly DeadLetter[]): Promise<void> {
    if (deadLetters.length === 0) return;
    const failedAt = (this.options.now ?? (() => new Date()))();
    const messages = deadLetters.map((deadLetter) => deadLetterMessage(deadLetter, failedAt, this.options));
    try {
      await this.options.publisher.publish(messages);
    } catch (error) {
      throw new DeadLetterPublishError(deadLetters, error);
    }
  }
}

/** The dead letter for a failed message: same key (so one aggregate's dead letters stay in order), new topic. */
export function deadLetterMessage(deadLetter: DeadLetter, failedAt: Date, options: DeadLetterOptions): OutboundMessage {
  const { message, error, attempts, consumedAt } = deadLetter;
  const maxBytes = options.maxBytes ?? DEFAULT_DEAD_LETTER_MAX_BYTES;
  const original = originalBytes(message.value);
  const key = truncate(typeof message.key === 'string' ? message.key : '', MAX_KEY_CHARS);
  const errorType = protocolErrorType(error);

  const failure: Record<string, string> = {
    [DeadLetterHeader.sourceService]: options.sourceService,
    [DeadLetterHeader.originalTopic]: typeof message.topic === 'string' ? message.topic : '',
    [DeadLetterHeader.originalKey]: key,
    ...(consumedAt
      ? { [DeadLetterHeader.originalPartition]: String(consumedAt.partition), [DeadLetterHeader.originalOffset]: consumedAt.offset }
      : {}),
    [DeadLetterHeader.errorClass]: errorClass(error),
    ...(errorType !== undefined ? { [DeadLetterHeader.errorCode]: errorType } : {}),
    [DeadLetterHeader.errorMessage]: truncate(
      error instanceof Error ? error.message : String(error),
      MAX_ERROR_MESSAGE_CHARS,
    ),
    [DeadLetterHeader.attempts]: String(attempts),
    [DeadLetterHeader.failedAt]: failedAt.toISOString(),
    ...coordinateHeaders(message, original),
    ...(original
      ? {
          [DeadLetterHeader.originalSizeBytes]: String(original.length),
          [DeadLetterHeader.originalSha256]: createHash('sha256').update(original).digest('hex'),
        }
      : {}),
  };

  let headers: Record<string, string> = { ...originalHeaders(message), ...failure };
  const fits = (value: Buffer | string, candidate: Record<string, string>) =>
    RECORD_BATCH_OVERHEAD_BYTES + estimateRecordBytes({ topic: '', key, value, headers: candidate }) <= maxBytes;

  const withoutValueFits = fits('', { ...headers, [DeadLetterHeader.payloadOmitted]: 'false' });
  if (!withoutValueFits) headers = { ...failure, [DeadLetterHeader.originalHeadersOmitted]: 'true' };

  const value: Buffer | string =
    original && fits(original, { ...headers, [DeadLetterHeader.payloadOmitted]: 'false' })
      ? original
      : JSON.stringify({
          deadLetter: 'payload-omitted',
          reason: original
            ? `the original value of ${original.length} bytes does not fit in a dead letter`
            : 'the original value is neither a string nor bytes',
          ...(original ? { sizeBytes: original.length, sha256: failure[DeadLetterHeader.originalSha256] } : {}),
        });
  headers[DeadLetterHeader.payloadOmitted] = value === original ? 'false' : 'true';

  return { topic: options.topic ?? DEFAULT_DEAD_LETTER_TOPIC, key, value, headers };
}

function originalBytes(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  return undefined;
}

/** The original's string headers, minus `dlq-*` ones left from an earlier failure (ours replace them). */
function originalHeaders(message: OutboundMessage): Record<string, string> {
  const headers = typeof message.headers === 'object' && message.headers !== null ? message.headers : {};
  return Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !entry[0].startsWith('dlq-'),
    ),
  );
}

/** From the message's headers, else from its JSON envelope: a dead letter must say which event it was. */
function coordinateHeaders(message: OutboundMessage, value: Buffer | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  let envelope: Record<string, unknown> | undefined;
  for (const { header, field, deadLetterHeader } of COORDINATES) {
    const fromHeader = typeof message.headers === 'object' && message.headers !== null ? message.headers[header] : undefined;
    if (typeof fromHeader === 'string') {
      headers[deadLetterHeader] = fromHeader;
      continue;
    }
    envelope ??= parseEnvelope(value);
    const fromEnvelope = envelope?.[field];
    if (typeof fromEnvelope === 'string' || typeof fromEnvelope === 'number') {
      headers[deadLetterHeader] = String(fromEnvelope);
    }
  }
  return headers;
}

function parseEnvelope(value: Buffer | undefined): Record<string, unknown> | undefined {
  // Parsing a multi-megabyte payload to find four fields is not worth it; such events carry headers anyway.
  if (!value || value.length > DEFAULT_DEAD_LETTER_MAX_BYTES) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function errorClass(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor.name;
  return typeof error;
}

function truncate(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
