import type { Client, types } from 'cassandra-driver';
import type { CheckpointStore, GroupCheckpoint } from './cdc-ports';
import { endOfMillisecond } from './time-bounds';

/** A batch of this many checkpoints stays a few KiB, clear of the database's batch size warning. */
const CHECKPOINTS_PER_BATCH = 64;

/** A consumer's checkpoints in `cdc_checkpoints`, one row per (generation, stream group). */
export class CqlCheckpointStore implements CheckpointStore {
  private readonly statements;

  constructor(
    private readonly client: Client,
    keyspace: string,
    private readonly consumer: string,
    private readonly baseTable: string,
  ) {
    const table = `${keyspace}.cdc_checkpoints`;
    this.statements = {
      all: `SELECT generation, group_id, position FROM ${table} WHERE consumer = ? AND base_table = ?`,
      save: `UPDATE ${table} SET position = ?, updated_at = ? WHERE consumer = ? AND base_table = ? AND generation = ? AND group_id = ?`,
    };
  }

  async all(): Promise<GroupCheckpoint[]> {
    const result = await this.client.execute(this.statements.all, [this.consumer, this.baseTable], {
      prepare: true,
      fetchSize: 10_000,
    });
    return result.rows.map((row) => ({
      generation: row.get('generation') as Date,
      groupId: row.get('group_id') as number,
      position: (row.get('position') as types.TimeUuid).getDate(),
    }));
  }

  /**
   * All of a consumer's checkpoints live in one partition, so an unlogged batch of them is one mutation: one
   * request and one write for many groups. Batches stay small enough to keep clear of the database's batch size
   * warnings.
   */
  async save(checkpoints: readonly GroupCheckpoint[]): Promise<void> {
    const updatedAt = new Date();
    for (let index = 0; index < checkpoints.length; index += CHECKPOINTS_PER_BATCH) {
      const queries = checkpoints.slice(index, index + CHECKPOINTS_PER_BATCH).map((checkpoint) => ({
        query: this.statements.save,
        params: [endOfMillisecond(checkpoint.position), updatedAt, this.consumer, this.baseTable, checkpoint.generation, checkpoint.groupId],
      }));
      const [single] = queries;
      if (queries.length === 1 && single) await this.client.execute(single.query, single.params, { prepare: true });
      else await this.client.batch(queries, { prepare: true, logged: false });
    }
  }
}
