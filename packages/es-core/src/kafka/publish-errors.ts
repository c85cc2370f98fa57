import type { OutboundMessage } from './event-publisher';

/** A message that can never be published, and why. */
export interface PublishFailure {
  readonly message: OutboundMessage;
  readonly error: Error;
}

/** What both publish errors share: the messages not yet acknowledged, to publish next (see EventPublisher). */
export abstract class PublishError extends Error {
  constructor(
    message: string,
    readonly remaining: readonly OutboundMessage[],
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The broker cannot take the messages now (down, slow, leader moving, …): publish `remaining` again later. */
export class TransientPublishError extends PublishError {
  constructor(cause: unknown, remaining: readonly OutboundMessage[]) {
    super(`publishing failed for now, ${remaining.length} message(s) pending: ${describe(cause)}`, remaining, { cause });
  }
}

/**
 * Some messages can never be published (too large, rejected by the broker, unserialisable). `failures` says
 * which: the caller dead-letters them. `remaining` is non-empty when the batch was then cut short by a
 * transient failure (`cause`).
 */
export class PermanentPublishError extends PublishError {
  constructor(
    readonly failures: readonly PublishFailure[],
    remaining: readonly OutboundMessage[] = [],
    cause?: unknown,
  ) {
    const reasons = failures.map((failure) => describe(failure.error)).join('; ');
    super(
      `${failures.length} message(s) can never be published (${reasons})` +
        (remaining.length > 0 ? `; ${remaining.length} message(s) still pending` : ''),
      remaining,
      cause === undefined ? undefined : { cause },
    );
  }
}

/** Refused before sending: bigger than KAFKA_MAX_MESSAGE_BYTES, so the broker would refuse it too. */
export class MessageTooLargeError extends Error {
  constructor(
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(`message of ~${sizeBytes} bytes exceeds the limit of ${limitBytes} bytes`);
    this.name = 'MessageTooLargeError';
  }
}

/** Refused before sending: not made of strings and bytes (e.g. an object where a string belongs). */
export class UnserialisableMessageError extends Error {
  constructor(reason: string) {
    super(`message cannot be serialised: ${reason}`);
    this.name = 'UnserialisableMessageError';
  }
}

/**
 * - `permanent`: this message will fail every time; dead-letter it.
 * - `producer-state`: the broker and the idempotent producer disagree about sequence numbers; retry with a
 *   new producer id (kafkajs would otherwise keep failing).
 * - `transient`: anything else, including every error we do not recognise; never dropped, retried.
 */
export type KafkaErrorKind = 'permanent' | 'producer-state' | 'transient';

/** Kafka protocol errors that concern the records themselves; the broker will refuse them every time. */
const PERMANENT_PROTOCOL_ERRORS: ReadonlySet<string> = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TIMESTAMP',
]);

const PRODUCER_STATE_ERRORS: ReadonlySet<string> = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
]);

/**
 * Classifies what kafkajs threw. kafkajs wraps the broker's answer (KafkaJSNumberOfRetriesExceeded,
 * KafkaJSNonRetriableError), so the whole `cause` chain is searched for a protocol error `type`.
 * Deliberately not permanent: authorisation, unknown topic, policy or config errors. They hit every
 * message alike and an operator can fix them; dead-lettering everything meanwhile would be worse than waiting.
 */
export function classifyKafkaError(error: unknown): KafkaErrorKind {
  for (const link of causeChain(error)) {
    if (link instanceof MessageTooLargeError || link instanceof UnserialisableMessageError) return 'permanent';
    const type = protocolErrorType(link);
    if (type !== undefined && PERMANENT_PROTOCOL_ERRORS.has(type)) return 'permanent';
    if (type !== undefined && PRODUCER_STATE_ERRORS.has(type)) return 'producer-state';
  }
  return 'transient';
}

/** The most specific error in the chain: the broker's own answer if there is one, for dead-letter headers. */
export function rootCause(error: unknown): Error {
  const chain = causeChain(error);
  const withType = chain.find((link) => protocolErrorType(link) !== undefined);
  const deepest = withType ?? chain[chain.length - 1] ?? error;
  return deepest instanceof Error ? deepest : new Error(describe(deepest));
}

/** kafkajs's KafkaJSProtocolError carries the broker's error name as `type`, e.g. MESSAGE_TOO_LARGE. */
export function protocolErrorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  // Bounded: a cause cycle must not hang the relay.
  while (current !== undefined && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
