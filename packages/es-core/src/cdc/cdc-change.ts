/** `cdc$operation` values (ScyllaDB docs, "CDC log table"). */
export const CdcOperation = {
  preImage: 0,
  rowUpdate: 1,
  rowInsert: 2,
  rowDelete: 3,
  partitionDelete: 4,
  rangeDeleteStartInclusive: 5,
  rangeDeleteStartExclusive: 6,
  rangeDeleteEndInclusive: 7,
  rangeDeleteEndExclusive: 8,
  postImage: 9,
} as const;

export type CdcOperationCode = (typeof CdcOperation)[keyof typeof CdcOperation];

/**
 * The base table's columns of one change, read by their CQL type. A column the change did not write, or did
 * not ask for, reads as null; a column of another type than asked throws CdcColumnTypeError.
 */
export interface CdcColumns {
  /** A `text` / `varchar` / `ascii` column. */
  text(column: string): string | null;
  /** An `int` / `bigint` column (a bigint beyond 2^53 loses precision, which no event sequence reaches). */
  integer(column: string): number | null;
  /** A `map<text, text>` column. */
  textMap(column: string): Readonly<Record<string, string>> | null;
}

/** One row of a `<table>_scylla_cdc_log`: its log coordinates and the base table's columns. */
export interface CdcChange {
  readonly streamId: Buffer;
  /** The millisecond `cdc$time` names; changes come in log order, which also orders those of one millisecond. */
  readonly time: Date;
  readonly batchSeqNo: number;
  /** True on the last row of the base write's group (ScyllaDB leaves it NULL on the others). */
  readonly endOfBatch: boolean;
  readonly operation: CdcOperationCode;
  readonly ttl: number | null;
  readonly columns: CdcColumns;
}
