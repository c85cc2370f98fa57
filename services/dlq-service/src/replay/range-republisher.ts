import type { Logger } from '@scylla-es/es-core';
import { splitRing, type ScannedEventRows, type StreamScanOptions } from '@scylla-es/es-core/cql';
import type { EventRow } from '@scylla-es/es-core';
import type { EventPublisher, OutboundMessage } from '@scylla-es/es-core/kafka';
import type { DlqMetrics } from '../dlq-metrics';
import { StoredEventMalformedError } from './replay-errors';
import { RepublishSender } from './republish-sender';

/** Scans event_store as stored rows (es-core's scanEventRows, bound to a client and keyspace). */
export type EventRowScan = (options: StreamScanOptions<EventRow>) => Promise<void>;

export interface RangeRepublishRequest {
  readonly aggregateType: string;
  /** Inclusive, on the events' occurrence time. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** Events this call may send; an aggregate is never split, see RangeRepublisher. */
  readonly max: number;
  /** Where an earlier call of the same republish stopped. */
  readonly resume?: RangeRepublishPosition;
  readonly by: string;
}

/** Where a republish goes on: every partition with a token up to `afterToken` was handled. */
export interface RangeRepublishPosition {
  readonly republishId: string;
  readonly afterToken: bigint;
}

/** An aggregate not sent because one of its stored rows cannot become a message. */
export interface MalformedAggregate {
  readonly aggregateId: string;
  readonly sequence: number | null;
  readonly reason: string;
}

export interface RangeRepublishReport {
  readonly republishId: string;
  readonly aggregateType: string;
  readonly from: Date;
  readonly to: Date;
  readonly max: number;
  /** Aggregates whose events in the range this call sent, and those events. */
  readonly aggregates: number;
  readonly events: number;
  /** Aggregates skipped (none of their events sent); listed up to MALFORMED_LISTED. */
  readonly malformedAggregates: number;
  readonly malformed: readonly MalformedAggregate[];
  /** Why this call stopped before the end of event_store; undefined when it got there. */
  readonly stoppedBy?: 'max' | 'time-budget';
  /** Where the next call goes on; undefined when the scan is complete. */
  readonly next?: RangeRepublishPosition;
  readonly republishedAt: Date;
}

const MALFORMED_LISTED = 100;
/** The ring as one range scanned in token order, so that one token says how far a call got. */
const WHOLE_RING = splitRing(1);

/** Thrown into the scan to stop it where this call's bounds were reached. */
class CallBoundReached extends Error {}

/**
 * Re-sends every stored event of one aggregate type that occurred in [from, to), each aggregate's in sequence
 * order, as the relay sent them (RepublishSender), scanning all of event_store by token (neither type nor time
 * is a key). One call is bounded twice: it sends at most `max` events, stopping before an aggregate that would
 * pass it (the first aggregate always goes whole, so every call gets on), and it scans for at most the time
 * budget. Either way it answers where the next call goes on: a position after the last partition it handled, so
 * the calls together send each event once, in order per aggregate.
 */
export class RangeRepublisher {
  constructor(
    private readonly scan: EventRowScan,
    private readonly publisher: EventPublisher,
    private readonly metrics: DlqMetrics,
    private readonly logger: Logger,
    private readonly timeBudgetMs: number,
  ) {}

  async republish(request: RangeRepublishRequest): Promise<RangeRepublishReport> {
    const { aggregateType, from, to, max, resume, by } = request;
    const sender = new RepublishSender(this.publisher, this.metrics, resume?.republishId);
    const what = `events of ${aggregateType} from ${from.toISOString()} to ${to.toISOString()}`;
    const deadline = sender.at.getTime() + this.timeBudgetMs;
    const stop = new AbortController();
    const counts = { aggregates: 0, events: 0, malformed: 0 };
    const malformed: MalformedAggregate[] = [];
    let stopped: { by: 'max' | 'time-budget'; afterToken: bigint } | undefined;
    // The first bound reached decides: the scan may still report progress up to the stream it was stopped before.
    const stopAt = (reason: 'max' | 'time-budget', afterToken: bigint) => {
      if (stopped) return;
      stopped = { by: reason, afterToken };
      stop.abort(new CallBoundReached());
    };

    const onStream = async (stream: ScannedEventRows) => {
      // Stopping before this stream: every token below its own was handled, whatever shares its token was not.
      // Only once this call has handled a stream, so that every call gets on.
      const handledOne = counts.aggregates + counts.malformed > 0;
      if (handledOne && Date.now() >= deadline) return stopAt('time-budget', stream.token - 1n);
      if (handledOne && counts.events + stream.events.length > max) return stopAt('max', stream.token - 1n);
      const messages = messagesOf(sender, stream);
      if (!Array.isArray(messages)) {
        counts.malformed += 1;
        if (malformed.length < MALFORMED_LISTED) malformed.push(messages);
        return;
      }
      await sender.add(messages, what);
      counts.aggregates += 1;
      counts.events += messages.length;
    };
    try {
      await this.scan({
        ranges: WHOLE_RING,
        concurrency: 1,
        ...(resume ? { resumeFrom: [{ range: WHOLE_RING[0]!, lastToken: resume.afterToken, done: false }] } : {}),
        signal: stop.signal,
        filter: { aggregateTypes: [aggregateType], occurredFrom: from, occurredBefore: to },
        onStream,
        // Long runs of other types' partitions: the budget is also checked between pages.
        onProgress: async ({ lastToken, done }) => {
          if (!done && lastToken !== undefined && Date.now() >= deadline) stopAt('time-budget', lastToken);
        },
      });
    } catch (error) {
      if (!(error instanceof CallBoundReached)) throw error;
    }
    await sender.flush(what);
    const next = stopped && { republishId: sender.republishId, afterToken: stopped.afterToken };
    this.logger.info('events republished from event_store', {
      republishId: sender.republishId,
      by,
      aggregateType,
      from: from.toISOString(),
      to: to.toISOString(),
      ...counts,
      stoppedBy: stopped?.by ?? null,
    });
    return {
      republishId: sender.republishId,
      aggregateType,
      from,
      to,
      max,
      aggregates: counts.aggregates,
      events: counts.events,
      malformedAggregates: counts.malformed,
      malformed,
      ...(stopped ? { stoppedBy: stopped.by } : {}),
      ...(next ? { next } : {}),
      republishedAt: sender.at,
    };
  }
}

/** All messages of a stream, or why none of them can go: an aggregate is sent whole or not at all. */
function messagesOf(sender: RepublishSender, { aggregateId, events }: ScannedEventRows): OutboundMessage[] | MalformedAggregate {
  try {
    return events.map((row) => sender.messageOf(aggregateId, row));
  } catch (error) {
    if (!(error instanceof StoredEventMalformedError)) throw error;
    return { aggregateId, sequence: error.sequence, reason: error.reason };
  }
}
