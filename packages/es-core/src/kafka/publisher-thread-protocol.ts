import type { OutboundMessage } from './event-publisher';
import type { KafkaConfig } from './kafka-config';
import { PermanentPublishError, PublishError, TransientPublishError } from './publish-errors';

/** What a publisher thread is started with: plain data, since it crosses to another thread by copy. */
export interface PublisherThreadSettings {
  readonly kafka: KafkaConfig;
  /** Service name and level of the thread's own logger (a logger object cannot cross threads). */
  readonly service: string;
  readonly logLevel: string;
}

export type PublisherThreadRequest =
  | { readonly id: number; readonly kind: 'connect' | 'disconnect' }
  | { readonly id: number; readonly kind: 'publish'; readonly messages: readonly OutboundMessage[] };

export type PublisherThreadReply =
  | { readonly id: number; readonly failure?: undefined }
  | { readonly id: number; readonly failure: TransferredFailure };

/** An error as data: its class name, message, the broker's error name (`type`) and its causes. */
export interface TransferredError {
  readonly name: string;
  readonly message: string;
  readonly type?: string;
  readonly cause?: TransferredError;
}

/**
 * A failed call as data. Messages are named by their index in the request: the caller gets back the very
 * objects it passed (the EventPublisher contract speaks of them), not copies.
 */
export type TransferredFailure =
  | { readonly kind: 'transient'; readonly cause: TransferredError; readonly remaining: readonly number[] }
  | {
      readonly kind: 'permanent';
      readonly failures: readonly { readonly index: number; readonly error: TransferredError }[];
      readonly remaining: readonly number[];
      readonly cause?: TransferredError;
    }
  | { readonly kind: 'other'; readonly error: TransferredError };

const MAX_CAUSES = 8;

/** On the publisher thread: the error a call ended with, as data. */
export function transferFailure(error: unknown, messages: readonly OutboundMessage[]): TransferredFailure {
  if (!(error instanceof PublishError)) return { kind: 'other', error: transferError(error) };
  const indexOf = indexer(messages);
  const remaining = error.remaining.map(indexOf);
  if (error instanceof PermanentPublishError) {
    return {
      kind: 'permanent',
      failures: error.failures.map((failure) => ({ index: indexOf(failure.message), error: transferError(failure.error) })),
      remaining,
      ...(error.cause === undefined ? {} : { cause: transferError(error.cause) }),
    };
  }
  return { kind: 'transient', cause: transferError(error.cause), remaining };
}

/** On the calling thread: the error to reject the call with, holding the caller's own message objects. */
export function reviveFailure(failure: TransferredFailure, messages: readonly OutboundMessage[]): Error {
  const message = (index: number) => messages[index] as OutboundMessage;
  switch (failure.kind) {
    case 'transient':
      return new TransientPublishError(reviveError(failure.cause), failure.remaining.map(message));
    case 'permanent':
      return new PermanentPublishError(
        failure.failures.map(({ index, error }) => ({ message: message(index), error: reviveError(error) })),
        failure.remaining.map(message),
        failure.cause === undefined ? undefined : reviveError(failure.cause),
      );
    case 'other':
      return reviveError(failure.error);
  }
}

export function transferError(error: unknown, depth = 0): TransferredError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const type = (error as { type?: unknown }).type;
  return {
    name: error.name,
    message: error.message,
    ...(typeof type === 'string' ? { type } : {}),
    ...(error.cause !== undefined && depth < MAX_CAUSES ? { cause: transferError(error.cause, depth + 1) } : {}),
  };
}

/** An Error with the original's name, message, broker error name and causes: what classification and dead letters read. */
export function reviveError(transferred: TransferredError): Error {
  const error = new Error(transferred.message, transferred.cause ? { cause: reviveError(transferred.cause) } : undefined);
  error.name = transferred.name;
  if (transferred.type !== undefined) Object.assign(error, { type: transferred.type });
  return error;
}

function indexer(messages: readonly OutboundMessage[]): (message: OutboundMessage) => number {
  const indexes = new Map(messages.map((message, index) => [message, index]));
  return (message) => {
    const index = indexes.get(message);
    if (index === undefined) throw new Error('a publish error named a message that was not in its request');
    return index;
  };
}
