import type { Snapshot, SnapshotStore } from '../core/ports/snapshot-store';

interface StoredSnapshot {
  readonly aggregateType: string;
  readonly sequence: number;
  readonly stateVersion: number;
  readonly state: string;
}

/** Snapshots in process memory, serialised as the CQL store keeps them, for unit specs. */
export class InMemorySnapshotStore implements SnapshotStore {
  /** Per aggregate id, newest first; like the table, keyed by aggregate id and sequence alone. */
  private readonly byAggregate = new Map<string, StoredSnapshot[]>();

  async save(aggregateType: string, aggregateId: string, snapshot: Snapshot): Promise<void> {
    const kept = (this.byAggregate.get(aggregateId) ?? []).filter((stored) => stored.sequence !== snapshot.sequence);
    kept.push({
      aggregateType,
      sequence: snapshot.sequence,
      stateVersion: snapshot.stateVersion,
      state: JSON.stringify(snapshot.state),
    });
    kept.sort((a, b) => b.sequence - a.sequence);
    this.byAggregate.set(aggregateId, kept);
  }

  async latest(aggregateType: string, aggregateId: string, atOrBelow = Number.MAX_SAFE_INTEGER): Promise<Snapshot | undefined> {
    const newest = this.byAggregate.get(aggregateId)?.find((stored) => stored.sequence <= atOrBelow);
    if (!newest || newest.aggregateType !== aggregateType) return undefined;
    return { sequence: newest.sequence, stateVersion: newest.stateVersion, state: JSON.parse(newest.state) };
  }
}
