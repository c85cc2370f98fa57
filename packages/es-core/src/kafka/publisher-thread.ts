/**
 * The entry point of a publisher thread (see ThreadedEventPublisher): a KafkaEventPublisher answering the
 * calling thread's requests. Imports only what publishing needs, to keep the thread small.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../core/logging/logger';
import type { OutboundMessage } from './event-publisher';
import { createKafka } from './kafka-config';
import { createKafkaEventPublisher } from './kafka-event-publisher';
import { transferFailure, type PublisherThreadReply, type PublisherThreadRequest, type PublisherThreadSettings } from './publisher-thread-protocol';

const port = parentPort;
if (!port) throw new Error('publisher-thread runs as a worker thread only');
const settings = workerData as PublisherThreadSettings;
const logger = createLogger(settings.service, settings.logLevel);
const publisher = createKafkaEventPublisher(createKafka(settings.kafka, logger), settings.kafka, logger);

/** A Buffer crosses threads as a plain Uint8Array; the publisher (and kafkajs) take Buffers. */
const withBuffers = (messages: readonly OutboundMessage[]): OutboundMessage[] =>
  messages.map((message) => {
    const value: string | Uint8Array = message.value;
    return typeof value === 'string' || Buffer.isBuffer(value)
      ? message
      : { ...message, value: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
  });

port.on('message', (request: PublisherThreadRequest) => {
  const messages = request.kind === 'publish' ? withBuffers(request.messages) : [];
  const call =
    request.kind === 'publish' ? publisher.publish(messages) : request.kind === 'connect' ? publisher.connect() : publisher.disconnect();
  call.then(
    () => port.postMessage({ id: request.id } satisfies PublisherThreadReply),
    (error: unknown) => port.postMessage({ id: request.id, failure: transferFailure(error, messages) } satisfies PublisherThreadReply),
  );
});
