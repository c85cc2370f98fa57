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
  /** Base-table columns to fetch (default: all). Fewer columns, less to read and decode per row. */
  readonly baseColumns?: readonly string[];
  /** Only log rows of this operation, filtered by the database (default: every row). */
  readonly operation?: CdcOperationCode;
}

// The stream id is the query's own parameter: reading it back would decode 16 bytes more per row.
const LOG_COLUMNS = ['cdc$time', 'cdc$batch_seq_no', 'cdc$end_of_batch', 'cdc$operation', 'cdc$ttl'];

/**
 * Reads one stream's log rows in a window, page by page, in `cdc$time` then `cdc$batch_seq_no` order. One
 * query per stream, as ScyllaDB's Java library and Kafka connector do: large IN lists overloaded clusters.
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
      WHERE "cdc$stream_id" = ? AND "cdc$time" > ? AND "cdc$time" <= ?${operationFilter}`;
  }

  async *window(streamId: Buffer, after: Date, upTo: Date): AsyncGenerator<CdcChange[]> {
    const bounds = [streamId, endOfMillisecond(after), endOfMillisecond(upTo)];
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(this.query, bounds, {
        prepare: true,
        isIdempotent: true,
        consistency: this.options.consistency,
        fetchSize: this.options.pageSize,
        ...(pageState ? { pageState } : {}),
      });
      if (result.rowLength > 0) yield result.rows.map((row) => new LogRowChange(streamId, row));
      pageState = result.pageState ?? undefined;
    } while (pageState);
  }
}

/** A change over a decoded log row; its time is taken from the timeuuid only when asked for. */
class LogRowChange implements CdcChange {
  readonly batchSeqNo: number;
  readonly endOfBatch: boolean;
  readonly operation: CdcOperationCode;
  readonly ttl: number | null;
  readonly columns: CdcColumns;

  constructor(
    readonly streamId: Buffer,
    private readonly row: types.Row,
  ) {
    const ttl = row.get('cdc$ttl') as types.Long | null;
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
