import type { types } from 'cassandra-driver';

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

/** One row of a `<table>_scylla_cdc_log`, with the base table's columns left on `row`. */
export interface CdcChange {
  readonly streamId: Buffer;
  readonly time: types.TimeUuid;
  readonly batchSeqNo: number;
  /** True on the last row of the base write's group (ScyllaDB leaves it NULL on the others). */
  readonly endOfBatch: boolean;
  readonly operation: CdcOperationCode;
  readonly ttl: number | null;
  readonly row: types.Row;
}
