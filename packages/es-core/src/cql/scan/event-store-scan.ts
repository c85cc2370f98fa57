import type { types, Client } from 'cassandra-driver';
import type { RecordedEvent } from '../../core/envelope/event-envelope';
import type { EventUpcasting } from '../../core/upcasting/upcasting';
import { EVENT_ROW_COLUMNS, recordedEventOfRow } from '../store/event-row';
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
export interface ScannedStream {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly version: number;
  readonly events: readonly RecordedEvent[];
}

export interface EventStoreScanOptions extends Omit<ScanOptions, 'onPartition'> {
  readonly filter?: EventScanFilter;
  /** Called for every stream with at least one event left after the filter, before its range goes on. */
  readonly onStream: (stream: ScannedStream, range: TokenRange) => Promise<void>;
}

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
  const { filter = {}, onStream, ...scan } = options;
  const keptTypes = filter.aggregateTypes ? new Set(filter.aggregateTypes) : undefined;
  return new TokenRangeScanner(client).scan(
    { table: `${keyspace}.event_store`, partitionKey: ['aggregate_id'], columns: [...EVENT_ROW_COLUMNS, 'version'] },
    {
      ...scan,
      onPartition: async ({ rows }, range) => {
        const head = rows[0];
        const aggregateType = head?.get('aggregate_type') as string | null | undefined;
        if (!head || !aggregateType || (keptTypes && !keptTypes.has(aggregateType))) return;
        const events = rows
          .filter((row) => row.get('sequence') !== null && occurredWithin(row.get('occurred_at') as Date, filter))
          .map((row) => recordedEventOfRow(row, upcastingFor));
        if (events.length === 0) return;
        const version = (head.get('version') as types.Long | null)?.toNumber() ?? 0;
        await onStream({ aggregateType, aggregateId: head.get('aggregate_id') as string, version, events }, range);
      },
    },
  );
}

const occurredWithin = (occurredAt: Date, { occurredFrom, occurredBefore }: EventScanFilter): boolean =>
  (!occurredFrom || occurredAt >= occurredFrom) && (!occurredBefore || occurredAt < occurredBefore);
