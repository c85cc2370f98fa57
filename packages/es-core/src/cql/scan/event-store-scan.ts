import type { types, Client } from 'cassandra-driver';
import type { RecordedEvent } from '../../core/envelope/event-envelope';
import { EVENT_ROW_COLUMNS as MESSAGE_COLUMNS, type EventRow } from '../../core/envelope/event-row';
import type { EventUpcasting } from '../../core/upcasting/upcasting';
import { EVENT_ROW_COLUMNS, recordedEventOfRow } from '../store/event-row';
import { eventRowOf } from '../store/event-rows';
import { TokenRangeScanner, type ScanOptions } from './token-range-scanner';
import type { TokenRange } from './token-ranges';

/**
 * Which events a scan keeps. Neither aggregate type nor occurrence time is a key column of `event_store`, so both
 * are filtered here, in the client, after the rows were read.
 */
export interface EventScanFilter {
  readonly aggregateTypes?: readonly string[];
  /** Inclusive. */
  readonly occurredFrom?: Date;
  /** Exclusive. */
  readonly occurredBefore?: Date;
}

/** One aggregate's events that passed the filter, in sequence order, with the stream's head version. */
export interface ScannedStreamOf<Event> {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  /** The partition's token: once this stream is handled, resuming after it loses no other stream. */
  readonly token: bigint;
  readonly events: readonly Event[];
}

/** A stream as recorded events, lifted by their aggregate's upcasters: what folds and projections read. */
export type ScannedStream = ScannedStreamOf<RecordedEvent>;

/** A stream as its rows are stored, outbox envelope included: what is sent to Kafka again (eventRowMessage). */
export type ScannedEventRows = ScannedStreamOf<EventRow>;

export interface StreamScanOptions<Event> extends Omit<ScanOptions, 'onPartition'> {
  readonly filter?: EventScanFilter;
  /** Called for every stream with at least one event left after the filter, before its range goes on. */
  readonly onStream: (stream: ScannedStreamOf<Event>, range: TokenRange) => Promise<void>;
}

export type EventStoreScanOptions = StreamScanOptions<RecordedEvent>;

/**
 * Every stream of `event_store` by token ranges (see TokenRangeScanner), as recorded events lifted by their
 * aggregate's upcasters. `upcastingFor` is asked only about aggregate types the filter keeps.
 */
export function scanEventStore(
  client: Client,
  keyspace: string,
  upcastingFor: (aggregateType: string) => EventUpcasting,
  options: EventStoreScanOptions,
): Promise<void> {
  return scanStreams(client, keyspace, EVENT_ROW_COLUMNS, (row) => recordedEventOfRow(row, upcastingFor), options);
}

/**
 * Every stream of `event_store` by token ranges, as its rows are stored (no upcasting): the same scan and filter
 * as scanEventStore, for re-sending events exactly as the relay first sent them.
 */
export function scanEventRows(client: Client, keyspace: string, options: StreamScanOptions<EventRow>): Promise<void> {
  return scanStreams(client, keyspace, ['aggregate_id', 'aggregate_type', 'occurred_at', ...MESSAGE_COLUMNS], eventRowOf, options);
}

function scanStreams<Event>(
  client: Client,
  keyspace: string,
  columns: readonly string[],
  eventOf: (row: types.Row) => Event,
  options: StreamScanOptions<Event>,
): Promise<void> {
  const { filter = {}, onStream, ...scan } = options;
  const keptTypes = filter.aggregateTypes ? new Set(filter.aggregateTypes) : undefined;
  return new TokenRangeScanner(client).scan(
    { table: `${keyspace}.event_store`, partitionKey: ['aggregate_id'], columns: [...columns, 'version'] },
    {
      ...scan,
      onPartition: async ({ token, rows }, range) => {
        const head = rows[0];
        const aggregateType = head?.get('aggregate_type') as string | null | undefined;
        if (!head || !aggregateType || (keptTypes && !keptTypes.has(aggregateType))) return;
        const events = rows.filter((row) => row.get('sequence') !== null && occurredWithin(row.get('occurred_at') as Date, filter)).map(eventOf);
        if (events.length === 0) return;
        const version = (head.get('version') as types.Long | null)?.toNumber() ?? 0;
        await onStream({ aggregateType, aggregateId: head.get('aggregate_id') as string, version, token, events }, range);
      },
    },
  );
}

const occurredWithin = (occurredAt: Date, { occurredFrom, occurredBefore }: EventScanFilter): boolean =>
  (!occurredFrom || occurredAt >= occurredFrom) && (!occurredBefore || occurredAt < occurredBefore);
