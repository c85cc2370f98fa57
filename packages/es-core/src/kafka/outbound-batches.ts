import type { OutboundMessage } from './event-publisher';
import { MessageTooLargeError, UnserialisableMessageError } from './publish-errors';

/**
 * Sizes from Kafka's record format v2: a record batch has a 61-byte header; a record adds at most 36 bytes of
 * length, attribute, delta and count varints around its key, value and headers (each header ≤ 10 more).
 * Estimates err on the large side so a message that passes here also passes the broker.
 */
export const RECORD_BATCH_OVERHEAD_BYTES = 61;
const RECORD_OVERHEAD_BYTES = 36;
const HEADER_OVERHEAD_BYTES = 10;

export interface BatchLimits {
  /** A single message larger than this is refused. Keep it below the broker's message.max.bytes. */
  readonly maxMessageBytes: number;
  /** Messages per produce request; bounds how much one failed request makes us resend. */
  readonly maxBatchMessages: number;
}

/** One step of publishing a batch, in order: a produce request, or a message refused without sending. */
export type PublishStep =
  | { readonly kind: 'send'; readonly messages: readonly OutboundMessage[] }
  | { readonly kind: 'refuse'; readonly message: OutboundMessage; readonly error: Error };

/** A message's estimated share of a record batch on the wire (uncompressed: we do not compress). */
export function estimateRecordBytes(message: OutboundMessage): number {
  let bytes = RECORD_OVERHEAD_BYTES + Buffer.byteLength(message.key) + Buffer.byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers)) {
    bytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return bytes;
}

/**
 * What kafkajs would choke on (or silently send as "[object Object]") in a message typed by a JavaScript
 * caller or built from a malformed row. Returns undefined for a sound message.
 */
export function serialisationProblem(message: OutboundMessage): string | undefined {
  const candidate = message as Partial<Record<keyof OutboundMessage, unknown>>;
  if (typeof candidate.topic !== 'string' || candidate.topic.length === 0) return 'the topic is not a non-empty string';
  if (typeof candidate.key !== 'string') return 'the key is not a string';
  if (typeof candidate.value !== 'string' && !Buffer.isBuffer(candidate.value)) return 'the value is not a string or Buffer';
  if (typeof candidate.headers !== 'object' || candidate.headers === null) return 'the headers are not an object';
  const badHeader = Object.entries(candidate.headers).find(([, value]) => typeof value !== 'string');
  if (badHeader) return `header '${badHeader[0]}' is not a string`;
  return undefined;
}

/**
 * Splits a batch into produce requests in the original order. Each request stays under maxMessageBytes in
 * total, because kafkajs puts all of a request's messages for one partition into ONE record batch and the
 * broker's limit applies to that batch: ten 200 KB events for one aggregate would otherwise be refused together.
 * Messages that cannot be sent at all become `refuse` steps. Deterministic: planning the same messages again
 * yields the same requests, which lets the idempotent producer recognise a resent request.
 */
export function planPublishSteps(messages: readonly OutboundMessage[], limits: BatchLimits): PublishStep[] {
  const steps: PublishStep[] = [];
  let current: OutboundMessage[] = [];
  let currentBytes = RECORD_BATCH_OVERHEAD_BYTES;
  const flush = () => {
    if (current.length > 0) steps.push({ kind: 'send', messages: current });
    current = [];
    currentBytes = RECORD_BATCH_OVERHEAD_BYTES;
  };
  for (const message of messages) {
    const problem = serialisationProblem(message);
    if (problem !== undefined) {
      flush();
      steps.push({ kind: 'refuse', message, error: new UnserialisableMessageError(problem) });
      continue;
    }
    const bytes = estimateRecordBytes(message);
    if (RECORD_BATCH_OVERHEAD_BYTES + bytes > limits.maxMessageBytes) {
      flush();
      const error = new MessageTooLargeError(RECORD_BATCH_OVERHEAD_BYTES + bytes, limits.maxMessageBytes);
      steps.push({ kind: 'refuse', message, error });
      continue;
    }
    if (current.length >= limits.maxBatchMessages || currentBytes + bytes > limits.maxMessageBytes) flush();
    current.push(message);
    currentBytes += bytes;
  }
  flush();
  return steps;
}

/** The messages of the steps from `index` on, in order: what is still pending when a step fails. */
export function messagesFrom(steps: readonly PublishStep[], index: number): OutboundMessage[] {
  return steps.slice(index).flatMap((step) => (step.kind === 'send' ? step.messages : [step.message]));
}

/** Same content (not merely the same objects): a rebuilt copy of a batch is still the same batch. */
export function sameMessages(left: readonly OutboundMessage[], right: readonly OutboundMessage[]): boolean {
  return left.length === right.length && left.every((message, index) => sameMessage(message, right[index]));
}

function sameMessage(left: OutboundMessage, right: OutboundMessage | undefined): boolean {
  if (right === undefined) return false;
  if (left === right) return true;
  if (left.topic !== right.topic || left.key !== right.key) return false;
  if (!Buffer.from(left.value).equals(Buffer.from(right.value))) return false;
  const leftHeaders = Object.entries(left.headers);
  return (
    leftHeaders.length === Object.keys(right.headers).length &&
    leftHeaders.every(([name, value]) => right.headers[name] === value)
  );
}
