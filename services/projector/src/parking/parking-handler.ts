import { EngineUnavailableError, type Logger } from '@scylla-es/es-core';
import {
  DeadLetterPublishError,
  ReplayHeader,
  TransientPublishError,
  deadLetterOfConsumed,
  type ConsumedMessage,
  type DeadLetterSink,
  type GiveUpPolicy,
} from '@scylla-es/es-core/kafka';
import type { EventHandler } from '../consuming/event-handler';
import { eventEnvelopeOf, MalformedEventMessageError, type EventEnvelope } from '../events/event-message';
import { errorOf, failureOf, type ParkedHead } from './parked-head';
import type { ParkedEvents } from './parked-events';
import { attemptsAfterFailedReplay, parkedRouteOf } from './parked-route';
import type { ParkedSet } from './parked-set';
import type { DeadLetterReason, ParkingMetrics } from './parking-metrics';

/** The partition has as many parked aggregates as allowed: something is wrong beyond one aggregate, so it waits. */
export class TooManyParkedError extends Error {
  constructor(topic: string, partition: number, limit: number) {
    super(`${topic}/${partition} already has ${limit} parked aggregates; the partition waits instead of parking more`);
    this.name = 'TooManyParkedError';
  }
}

export interface ParkingOptions {
  /** Applies the events read from records (the handler reads each record's envelope once); throws when it cannot. */
  readonly events: EventHandler;
  readonly isOutage: (error: unknown) => boolean;
  readonly store: ParkedEvents;
  readonly parked: ParkedSet;
  readonly deadLetters: DeadLetterSink;
  readonly maxAttempts: number;
  readonly maxParkedPerPartition: number;
  readonly metrics: ParkingMetrics;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/**
 * The projector's side of docs/parking-and-replay.md, around the plain applying of records. The consumer gives a
 * record up after its bounded attempts (`policy`); the record is then parked as its aggregate's head and
 * dead-lettered. Later records of a parked aggregate are held, a replay of its head releases it, and a record
 * that carries no event at all is dead-lettered at once.
 *
 * Crash safety: a head is stored (with its listing row, in one batch) before its dead letter is sent, and its
 * offset is committed after both. A redelivered head of a parked aggregate therefore sends its dead letter
 * again (the dlq-service takes a duplicate for the same event), and a redelivered held or replayed record does
 * again what it did, which changes nothing the second time.
 */
export class ParkingHandler {
  readonly policy: GiveUpPolicy;

  constructor(private readonly options: ParkingOptions) {
    this.policy = { afterAttempts: options.maxAttempts, giveUp: (message, error, attempts) => this.giveUp(message, error, attempts) };
  }

  /** What the consumer runs per record. */
  async handle(message: ConsumedMessage): Promise<void> {
    const envelope = await this.envelopeOrDeadLetter(message);
    if (!envelope) return;
    const parked = await this.options.parked.on(message.topic, message.partition);
    const routed = parkedRouteOf(envelope.sequence, parked.headOf(envelope), message.headers[ReplayHeader.replayOf] !== undefined);
    switch (routed.route) {
      case 'apply':
        return this.options.events.apply(envelope);
      case 'hold':
        return this.hold(envelope, message);
      case 'replay':
        return this.replay(message, envelope, routed.head);
      case 'redelivered-head':
        return this.sendDeadLetter(message, errorOf(routed.head), routed.head.attempts, 'redelivered-head');
    }
  }

  /**
   * What the consumer offers for consecutive records of one aggregate: those from the first on that are plainly
   * applied (the aggregate is not parked, none is a replay) go to the read models at once. The others, and any
   * record that carries no event, are left to `handle`.
   */
  async handleRun(messages: readonly ConsumedMessage[]): Promise<number> {
    const first = messages[0];
    if (!first) return 0;
    const parked = await this.options.parked.on(first.topic, first.partition);
    const envelopes: EventEnvelope[] = [];
    for (const message of messages) {
      const envelope = envelopeOrMalformed(message);
      if (envelope instanceof MalformedEventMessageError) break;
      const isReplay = message.headers[ReplayHeader.replayOf] !== undefined;
      if (parkedRouteOf(envelope.sequence, parked.headOf(envelope), isReplay).route !== 'apply') break;
      envelopes.push(envelope);
    }
    return envelopes.length < 2 ? 0 : this.options.events.applyRun(envelopes);
  }

  private async giveUp(message: ConsumedMessage, error: unknown, attempts: number): Promise<void> {
    await this.park(message, eventEnvelopeOf(message), error, attempts, undefined, 'parked');
  }

  /** Makes the record its aggregate's head, then sends its dead letter. */
  private async park(
    message: ConsumedMessage,
    envelope: EventEnvelope,
    error: unknown,
    attempts: number,
    replayedOffset: string | undefined,
    reason: DeadLetterReason,
  ): Promise<void> {
    const parked = await this.options.parked.on(message.topic, message.partition);
    const existing = parked.headOf(envelope);
    if (!existing && parked.size >= this.options.maxParkedPerPartition) {
      throw new TooManyParkedError(message.topic, message.partition, this.options.maxParkedPerPartition);
    }
    const head: ParkedHead = {
      aggregateType: envelope.aggregateType,
      aggregateId: envelope.aggregateId,
      topic: message.topic,
      partition: message.partition,
      sequence: envelope.sequence,
      eventId: envelope.eventId,
      attempts,
      ...failureOf(error),
      replayedOffset,
      parkedAt: existing?.parkedAt ?? this.now(),
    };
    if (existing?.sequence === head.sequence) await this.options.store.updateHead(head);
    else await this.options.store.park(head, message);
    parked.set(head);
    if (!existing || existing.sequence !== head.sequence) this.options.metrics.parked('head');
    this.options.logger?.warn('aggregate parked', { ...locationOf(message), aggregateType: head.aggregateType, aggregateId: head.aggregateId, sequence: head.sequence, attempts, error: head.errorMessage });
    await this.sendDeadLetter(message, error, attempts, reason);
  }

  private async hold(envelope: EventEnvelope, message: ConsumedMessage): Promise<void> {
    await this.options.store.hold(envelope, message, this.now());
    this.options.metrics.parked('held');
  }

  /**
   * The head came back from the dlq-service: applied, then the events held behind it in order, then the aggregate
   * flows again. An outage is thrown for the consumer to wait out (a redelivered replay finds the applied part
   * to be duplicates). Any other failure parks the aggregate again at the event that failed.
   */
  private async replay(message: ConsumedMessage, envelope: EventEnvelope, head: ParkedHead): Promise<void> {
    try {
      await this.options.events.apply(envelope);
    } catch (error) {
      if (this.options.isOutage(error)) throw error;
      const attempts = attemptsAfterFailedReplay(head, message.offset);
      return this.park(message, envelope, error, attempts, message.offset, 'replay-failed');
    }
    const held = await this.options.store.heldAfter(head);
    for (const record of held) {
      const envelope = eventEnvelopeOf(record);
      try {
        await this.options.events.apply(envelope);
      } catch (error) {
        if (this.options.isOutage(error)) throw error;
        // Released up to here: the held event that fails is the aggregate's head now.
        return this.park(record, envelope, error, 1, undefined, 'parked');
      }
    }
    await this.options.store.release(head);
    (await this.options.parked.on(message.topic, message.partition)).delete(head);
    this.options.metrics.released(1 + held.length);
    this.options.logger?.info('parked aggregate released', { ...locationOf(message), aggregateType: head.aggregateType, aggregateId: head.aggregateId, released: 1 + held.length });
  }

  /** The envelope, or `undefined` once a record that carries none is dead-lettered: no aggregate to park it for. */
  private async envelopeOrDeadLetter(message: ConsumedMessage): Promise<EventEnvelope | undefined> {
    const read = envelopeOrMalformed(message);
    if (!(read instanceof MalformedEventMessageError)) return read;
    this.options.logger?.error('record is not an event: dead-lettered', { ...locationOf(message), error: read.message });
    await this.sendDeadLetter(message, read, 1, 'malformed');
    return undefined;
  }

  /** A broker that cannot take the dead letter now is an outage: the record waits, it is never given up twice. */
  private async sendDeadLetter(message: ConsumedMessage, error: unknown, attempts: number, reason: DeadLetterReason): Promise<void> {
    try {
      await this.options.deadLetters.send([deadLetterOfConsumed(message, error, attempts)]);
    } catch (sendError) {
      if (sendError instanceof DeadLetterPublishError && sendError.cause instanceof TransientPublishError) {
        throw new EngineUnavailableError('kafka', { cause: sendError });
      }
      throw sendError;
    }
    this.options.metrics.deadLetterSent(reason);
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}

/** The record's envelope, or why it carries none; any other failure is thrown. */
function envelopeOrMalformed(message: ConsumedMessage): EventEnvelope | MalformedEventMessageError {
  try {
    return eventEnvelopeOf(message);
  } catch (error) {
    if (error instanceof MalformedEventMessageError) return error;
    throw error;
  }
}

const locationOf = (message: ConsumedMessage) => ({ topic: message.topic, partition: message.partition, offset: message.offset, key: message.key });
