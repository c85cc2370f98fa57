import type { types} from 'cassandra-driver';
import { type Client } from 'cassandra-driver';
import { endOfMillisecond } from './time-bounds';

export interface GroupCheckpoint {
  readonly generation: Date;
  readonly groupId: number;
  /** Everything at or before this instant (ms) was acknowledged downstream. */
  readonly position: Date;
}

/**
 * Where a CDC consumer stands, per (generation, stream group). Written only after the consumer acknowledged
 * every change up to the position, so a restart re-delivers at most the last unacknowledged window.
 */
export class CdcCheckpointStore {
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
