import { chunksWithin, groupedBy, mapAtMost } from '@scylla-es/es-core';
import { types, type Client } from 'cassandra-driver';
import type { CqlWrite } from '../projection/cql-write';

/** Writes in one batch at most. */
const MAX_WRITES_PER_BATCH = 64;
/**
 * Parameter bytes in one batch at most, well under the smallest batch size the engines refuse by default
 * (Cassandra: 50 KiB; ScyllaDB: 1 MiB) once keys and cell overheads are added. A single write larger than this
 * goes in a batch of its own.
 */
const MAX_BATCH_BYTES = 16 * 1024;

/**
 * Sends many writes into tables nobody reads yet (the copy a rebuild fills) in few requests: unlogged batches,
 * with the writes of one statement next to each other, so that rows of one partition (a status day, a
 * customer) meet in one batch and the database applies them as one mutation. Nothing here needs a batch's
 * atomicity: every write carries its own timestamp, so the order in which batches land does not matter, and a
 * failed batch fails the whole call, whose writes the caller repeats (a resumed scan writes its page again).
 */
export async function writeInBatches(client: Client, writes: readonly CqlWrite[], concurrency: number): Promise<void> {
  await mapAtMost(batchesOf(writes), concurrency, (batch) =>
    client.batch(batch, { prepare: true, logged: false, consistency: types.consistencies.localQuorum }),
  );
}

/** The writes grouped by statement (stable within a statement), cut into batches within both limits. */
export function batchesOf(writes: readonly CqlWrite[]): CqlWrite[][] {
  const byStatement = groupedBy(writes, (write) => write.query);
  return chunksWithin([...byStatement.values()].flat(), { maxWeight: MAX_BATCH_BYTES, weightOf: approximateBytes, maxItems: MAX_WRITES_PER_BATCH });
}

/** The size a write's parameters take on the wire, near enough to stay under a batch size limit. */
function approximateBytes({ params }: CqlWrite): number {
  return params.reduce<number>((sum, param) => sum + (typeof param === 'string' ? Buffer.byteLength(param) : 16), 0);
}
