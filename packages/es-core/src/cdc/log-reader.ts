import type { Client, types } from 'cassandra-driver';
import type { CdcChange, CdcColumns, CdcOperationCode } from './cdc-change';
import { DecodedColumns } from './cdc-columns';
import type { ChangeLog } from './cdc-ports';
import { endOfMillisecond } from './time-bounds';

export interface LogReaderOptions {
  readonly keyspace: string;
  readonly baseTable: string;
  /** Explicit, since the driver would otherwise read the log at LOCAL_ONE. */
  readonly consistency: number;
  readonly pageSize: number;
  /** The longest IN list of one query; a group with more streams is read in several queries. */
  readonly streamsPerQuery: number;
  /** Base-table columns to fetch (default: all). Fewer columns, less to read and decode per row. */
  readonly baseColumns?: readonly string[];
  /** Only log rows of this operation, filtered by the database (default: every row). */
  readonly operation?: CdcOperationCode;
}

const LOG_COLUMNS = ['cdc$stream_id', 'cdc$time', 'cdc$batch_seq_no', 'cdc$end_of_batch', 'cdc$operation', 'cdc$ttl'];

/**
 * Reads a stream group's log rows in a window with one query over its streams (an IN list of at most
 * `streamsPerQuery`), page by page: the database returns one partition (stream) after the other, each in
 * `cdc$time` then `cdc$batch_seq_no` order. A group's streams share one vnode range, hence one replica set, so
 * the query is as cheap for the cluster as one per stream and costs one request instead of one per shard, as
 * ScyllaDB's Go library reads them; only long IN lists over many ranges overload a coordinator.
 */
export class CqlChangeLog implements ChangeLog {
  private readonly query: string;

  constructor(
    private readonly client: Client,
    private readonly options: LogReaderOptions,
  ) {
    const columns = options.baseColumns
      ? [...LOG_COLUMNS, ...options.baseColumns].map((column) => `"${column}"`).join(', ')
      : '*';
    // Filtering within one partition's time slice reads nothing more; rows left out are neither sent nor decoded.
    const operationFilter = options.operation === undefined ? '' : ` AND "cdc$operation" = ${options.operation} ALLOW FILTERING`;
    this.query = `SELECT ${columns} FROM ${options.keyspace}.${options.baseTable}_scylla_cdc_log
      WHERE "cdc$stream_id" IN ? AND "cdc$time" > ? AND "cdc$time" <= ?${operationFilter}`;
  }

  async *window(streams: readonly Buffer[], after: Date, upTo: Date): AsyncGenerator<CdcChange[]> {
    for (let index = 0; index < streams.length; index += this.options.streamsPerQuery) {
      yield* this.pages(streams.slice(index, index + this.options.streamsPerQuery), after, upTo);
    }
  }

  private async *pages(streams: readonly Buffer[], after: Date, upTo: Date): AsyncGenerator<CdcChange[]> {
    const bounds = [streams, endOfMillisecond(after), endOfMillisecond(upTo)];
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(this.query, bounds, {
        prepare: true,
        isIdempotent: true,
        consistency: this.options.consistency,
        fetchSize: this.options.pageSize,
        ...(pageState ? { pageState } : {}),
      });
      if (result.rowLength > 0) yield result.rows.map((row) => new LogRowChange(row));
      pageState = result.pageState ?? undefined;
    } while (pageState);
  }
}

/** A change over a decoded log row; its time is taken from the timeuuid only when asked for. */
class LogRowChange implements CdcChange {
  readonly streamId: Buffer;
  readonly batchSeqNo: number;
  readonly endOfBatch: boolean;
  readonly operation: CdcOperationCode;
  readonly ttl: number | null;
  readonly columns: CdcColumns;

  constructor(private readonly row: types.Row) {
    const ttl = row.get('cdc$ttl') as types.Long | null;
    this.streamId = row.get('cdc$stream_id') as Buffer;
    this.batchSeqNo = row.get('cdc$batch_seq_no') as number;
    this.endOfBatch = row.get('cdc$end_of_batch') === true;
    this.operation = row.get('cdc$operation') as CdcOperationCode;
    this.ttl = ttl === null ? null : ttl.toNumber();
    this.columns = new DecodedColumns(row);
  }

  get time(): Date {
    return (this.row.get('cdc$time') as types.TimeUuid).getDate();
  }
}
