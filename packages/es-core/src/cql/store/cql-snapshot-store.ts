import { types, type Client } from 'cassandra-driver';
import type { Snapshot, SnapshotStore } from '../../core/ports/snapshot-store';

/** Snapshots newest-first per aggregate, so a load reads exactly one row. */
export class CqlSnapshotStore implements SnapshotStore {
  private readonly insert: string;
  private readonly selectLatest: string;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.insert = `INSERT INTO ${keyspace}.aggregate_snapshots (aggregate_id, sequence, aggregate_type, state, state_version, taken_at)
      VALUES (?, ?, ?, ?, ?, ?)`;
    this.selectLatest = `SELECT sequence, state, state_version, aggregate_type FROM ${keyspace}.aggregate_snapshots
      WHERE aggregate_id = ? AND sequence <= ? LIMIT 1`;
  }

  async save(aggregateType: string, aggregateId: string, snapshot: Snapshot): Promise<void> {
    await this.client.execute(
      this.insert,
      [
        aggregateId,
        types.Long.fromNumber(snapshot.sequence),
        aggregateType,
        JSON.stringify(snapshot.state),
        snapshot.stateVersion,
        new Date(),
      ],
      { prepare: true },
    );
  }

  /** Rows are keyed by aggregate id alone, so the aggregate type is checked on the row read. */
  async latest(aggregateType: string, aggregateId: string, atOrBelow = Number.MAX_SAFE_INTEGER): Promise<Snapshot | undefined> {
    const result = await this.client.execute(this.selectLatest, [aggregateId, types.Long.fromNumber(atOrBelow)], {
      prepare: true,
    });
    const row = result.first();
    if (!row || row.get('aggregate_type') !== aggregateType) return undefined;
    return {
      sequence: (row.get('sequence') as types.Long).toNumber(),
      stateVersion: row.get('state_version') as number,
      state: JSON.parse(row.get('state') as string),
    };
  }
}
