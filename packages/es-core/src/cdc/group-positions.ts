import type { Generation, GroupCheckpoint, StreamGroup } from './cdc-ports';

/** One key per (generation, stream group), for maps of per-group state. */
export const groupKey = (generation: Date, groupId: number): string => `${generation.getTime()}:${groupId}`;

/**
 * How far each (generation, stream group) has been read, by any instance of the consumer: this instance's own
 * windows and the checkpoints the others saved. A position only ever moves forward.
 */
export class GroupPositions {
  private readonly positions = new Map<string, Date>();

  get isEmpty(): boolean {
    return this.positions.size === 0;
  }

  of(generation: Generation, group: StreamGroup): Date | undefined {
    return this.positions.get(groupKey(generation.time, group.id));
  }

  remember(checkpoint: GroupCheckpoint): void {
    const key = groupKey(checkpoint.generation, checkpoint.groupId);
    const known = this.positions.get(key);
    if (!known || known < checkpoint.position) this.positions.set(key, checkpoint.position);
  }
}
