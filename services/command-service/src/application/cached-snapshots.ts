import { CqlSnapshotStore, type Snapshot } from '@scylla-es/es-core';
import type { Client } from 'cassandra-driver';

/**
 * The snapshot store of ONE aggregate type, with its most recently used states in memory as "snapshots" at
 * their version. A load then reads only the events after that version (usually none) instead of the snapshot
 * row and the tail behind it. Always correct, even with other instances appending: the tail read still runs
 * against the store, so the state is brought up to the head before deciding, and the append stays conditional.
 */
export class CachedSnapshots extends CqlSnapshotStore {
  private readonly recent = new Map<string, Snapshot>();

  constructor(
    client: Client,
    keyspace: string,
    private readonly aggregateType: string,
    private readonly capacity: number,
  ) {
    super(client, keyspace);
  }

  override async latest(aggregateType: string, aggregateId: string, atOrBelow = Number.MAX_SAFE_INTEGER): Promise<Snapshot | undefined> {
    const cached = this.recent.get(aggregateId);
    if (cached && cached.sequence <= atOrBelow && aggregateType === this.aggregateType) {
      // Most recently used last: eviction takes the first.
      this.recent.delete(aggregateId);
      this.recent.set(aggregateId, cached);
      return cached;
    }
    return super.latest(aggregateType, aggregateId, atOrBelow);
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
