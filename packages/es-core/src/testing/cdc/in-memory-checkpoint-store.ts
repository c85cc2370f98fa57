import type { CheckpointStore, GroupCheckpoint } from '../../cdc/cdc-ports';
import { groupKey } from '../../cdc/group-positions';

/** Checkpoints in memory; `saved` lists every save in order, for specs that check when one was written. */
export class InMemoryCheckpointStore implements CheckpointStore {
  readonly saved: GroupCheckpoint[] = [];

  async all(): Promise<GroupCheckpoint[]> {
    const latest = new Map<string, GroupCheckpoint>();
    for (const checkpoint of this.saved) latest.set(groupKey(checkpoint.generation, checkpoint.groupId), checkpoint);
    return [...latest.values()];
  }

  async save(checkpoints: readonly GroupCheckpoint[]): Promise<void> {
    this.saved.push(...checkpoints);
  }
}
