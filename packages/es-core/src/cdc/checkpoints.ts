import type { Client, types } from 'cassandra-driver';
import type { CheckpointStore, GroupCheckpoint } from './cdc-ports';
import { endOfMillisecond } from './time-bounds';

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

  async save(checkpoint: GroupCheckpoint): Promise<void> {
    await this.client.execute(
      this.statements.save,
      [
        endOfMillisecond(checkpoint.position),
        new Date(),
        this.consumer,
        this.baseTable,
        checkpoint.generation,
        checkpoint.groupId,
      ],
      { prepare: true },
    );
  }
}
