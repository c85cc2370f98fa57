import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/logging/logger';
import type { EventPublisher, OutboundMessage } from './event-publisher';
import { kafkaConfigShape, type KafkaConfig } from './kafka-config';
import { TransientPublishError } from './publish-errors';
import {
  reviveFailure,
  type PublisherThreadReply,
  type PublisherThreadRequest,
  type PublisherThreadSettings,
} from './publisher-thread-protocol';

/** The compiled entry point, also when this module runs from source (under Jest): build before testing. */
const THREAD_ENTRY = path.resolve(__dirname, '..', '..', 'dist', 'kafka', 'publisher-thread.js');

interface PendingCall {
  readonly messages: readonly OutboundMessage[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * A KafkaEventPublisher on a worker thread, with the same contract (EventPublisher). Encoding Kafka records is
 * most of what a relay spends its CPU on; on a thread of its own it runs beside the reading and decoding of the
 * CDC log instead of taking turns with it. Messages cross by copy; errors come back as the same error classes
 * holding the caller's own message objects.
 *
 * A thread that dies fails its calls in flight as transient (their fate is unknown: publish again, at least
 * once); the next call starts a new thread.
 */
export class ThreadedEventPublisher implements EventPublisher {
  private thread: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, PendingCall>();

  constructor(
    private readonly settings: PublisherThreadSettings,
    private readonly logger?: Logger,
  ) {}

  /** Starts the thread and connects its producer (start-up, readiness); publishing does both on first use anyway. */
  connect(): Promise<void> {
    return this.call({ id: this.nextId++, kind: 'connect' }, []);
  }

  publish(messages: readonly OutboundMessage[]): Promise<void> {
    return this.call({ id: this.nextId++, kind: 'publish', messages }, messages);
  }

  /** Waits for the publishes in progress, disconnects the producer and ends the thread. */
  async disconnect(): Promise<void> {
    const thread = this.thread;
    if (!thread) return;
    await this.call({ id: this.nextId++, kind: 'disconnect' }, []);
    this.thread = undefined;
    await thread.terminate();
  }

  private call(request: PublisherThreadRequest, messages: readonly OutboundMessage[]): Promise<void> {
    const thread = (this.thread ??= this.startThread());
    return new Promise<void>((resolve, reject) => {
      this.pending.set(request.id, { messages, resolve, reject });
      thread.postMessage(request);
    });
  }

  private startThread(): Worker {
    const thread = new Worker(THREAD_ENTRY, { workerData: this.settings });
    thread.on('message', (reply: PublisherThreadReply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (reply.failure === undefined) call.resolve();
      else call.reject(reviveFailure(reply.failure, call.messages));
    });
    thread.on('error', (error) => this.logger?.error('the Kafka publisher thread failed', { error: String(error) }));
    thread.on('exit', (code) => {
      if (this.thread === thread) this.thread = undefined;
      const cause = new Error(`the Kafka publisher thread exited (code ${code})`);
      for (const [id, call] of this.pending) {
        this.pending.delete(id);
        call.reject(new TransientPublishError(cause, call.messages));
      }
    });
    return thread;
  }
}

/** A ThreadedEventPublisher from a service's configuration (only its Kafka settings cross to the thread). */
export function createThreadedEventPublisher(
  config: KafkaConfig,
  thread: { readonly service: string; readonly logLevel: string },
  logger?: Logger,
): ThreadedEventPublisher {
  const kafka = Object.fromEntries(Object.keys(kafkaConfigShape).map((name) => [name, config[name as keyof KafkaConfig]])) as KafkaConfig;
  return new ThreadedEventPublisher({ kafka, ...thread }, logger);
}
