import { CqlSnapshotStore, type Snapshot } from '@scylla-es/es-core';
import { types, type Client } from 'cassandra-driver';

/**
 * The snapshot store of ONE aggregate type, with its most recently used states in memory as "snapshots" at
 * their version. A load then reads only the events after that version (usually none) instead of the snapshot
 * row and the tail behind it. Always correct, even with other instances appending: the tail read still runs
 * against the store, so the state is brought up to the head before deciding, and the append stays conditional.
 *
 * Snapshot rows are keyed by aggregate id only, so a row of another aggregate type (an order id asked for as a
 * customer) is ignored here rather than handed to this type's snapshot schema; the load then meets the foreign
 * events and answers 404.
 */
export class CachedSnapshots extends CqlSnapshotStore {
  private readonly recent = new Map<string, Snapshot>();
  private readonly selectTypedLatest: string;

  constructor(
    private readonly cql: Client,
    keyspace: string,
    private readonly aggregateType: string,
    private readonly capacity: number,
  ) {
    super(cql, keyspace);
    this.selectTypedLatest = `SELECT sequence, state, state_version, aggregate_type FROM ${keyspace}.aggregate_snapshots
      WHERE aggregate_id = ? AND sequence <= ? LIMIT 1`;
  }

  override async latest(aggregateId: string, atOrBelow = Number.MAX_SAFE_INTEGER): Promise<Snapshot | undefined> {
    const cached = this.recent.get(aggregateId);
    if (cached && cached.sequence <= atOrBelow) {
      // Most recently used last: eviction takes the first.
      this.recent.delete(aggregateId);
      this.recent.set(aggregateId, cached);
      return cached;
    }
    const result = await this.cql.execute(this.selectTypedLatest, [aggregateId, types.Long.fromNumber(atOrBelow)], {
      prepare: true,
    });
    const row = result.first();
    if (!row || row.get('aggregate_type') !== this.aggregateType) return undefined;
    return {
      sequence: (row.get('sequence') as types.Long).toNumber(),
      stateVersion: row.get('state_version') as number,
      state: JSON.parse(row.get('state') as string),
    };
  }

  /** Keeps `state` as of `sequence`, unless a newer one is already kept. */
  remember(aggregateId: string, snapshot: Snapshot): void {
    if (this.capacity <= 0) return;
    const cached = this.recent.get(aggregateId);
    if (cached && cached.sequence >= snapshot.sequence) return;
    this.recent.delete(aggregateId);
    this.recent.set(aggregateId, snapshot);
    if (this.recent.size > this.capacity) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }
}
