import { types, type Client } from 'cassandra-driver';
import type { CdcOperationCode } from './cdc-change';
import type { CdcSources } from './cdc-ports';
import type { CdcReaderConfig } from './cdc-reader-config';
import { CqlCheckpointStore } from './checkpoints';
import { CqlGenerationSource } from './generations';
import { CqlLeaseStore } from './leases';
import { CqlChangeLog } from './log-reader';

export interface CqlCdcSourcesOptions {
  readonly client: Client;
  readonly keyspace: string;
  readonly baseTable: string;
  /** Name shared by all instances of one consumer: checkpoints and leases are per consumer. */
  readonly consumer: string;
  readonly config: CdcReaderConfig;
  /** Base-table columns the handler reads (default: all). */
  readonly baseColumns?: readonly string[];
  /**
   * Only changes of this operation (default: all), e.g. a relay of inserted rows. The database drops the others,
   * so a filtered window is no proof of what else happened in it (cdc$end_of_batch may be among the dropped).
   */
  readonly operation?: CdcOperationCode;
  /** Names this instance in the leases (default: a random id). */
  readonly instanceId?: string;
}

const CONSISTENCIES: Record<CdcReaderConfig['CDC_CONSISTENCY'], number> = {
  LOCAL_QUORUM: types.consistencies.localQuorum,
  QUORUM: types.consistencies.quorum,
  LOCAL_ONE: types.consistencies.localOne,
  ONE: types.consistencies.one,
  ALL: types.consistencies.all,
};

/** The CDC reader's sources on ScyllaDB: generation metadata, the table's log, checkpoints and leases. */
export function cqlCdcSources(options: CqlCdcSourcesOptions): CdcSources {
  const { client, keyspace, baseTable, consumer, config } = options;
  return {
    generations: new CqlGenerationSource(client, config.CDC_METADATA_KEYSPACE),
    log: new CqlChangeLog(client, {
      keyspace,
      baseTable,
      consistency: CONSISTENCIES[config.CDC_CONSISTENCY],
      pageSize: config.CDC_PAGE_SIZE,
      streamsPerQuery: config.CDC_MAX_STREAMS_PER_QUERY,
      ...(options.baseColumns ? { baseColumns: options.baseColumns } : {}),
      ...(options.operation === undefined ? {} : { operation: options.operation }),
    }),
    checkpoints: new CqlCheckpointStore(client, keyspace, consumer, baseTable),
    leases: new CqlLeaseStore(client, {
      keyspace,
      consumer,
      baseTable,
      ttlSeconds: config.CDC_LEASE_TTL_SECONDS,
      ...(options.instanceId ? { owner: options.instanceId } : {}),
    }),
  };
}
