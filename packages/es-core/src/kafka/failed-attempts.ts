import type { ConsumedMessage } from './consumed-message';

/**
 * Failures of records not handled yet, outages not counted (waiting for an engine says nothing about the
 * record): what a bounded retry counts. A record is forgotten once handled or given up, and all of them after
 * a rebalance, when the group re-reads from committed offsets.
 */
export class FailedAttempts {
  private readonly counts = new Map<string, number>();

  /** One more failure of `message`; how many it has had. */
  count(message: ConsumedMessage): number {
    const id = recordId(message);
    const attempts = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, attempts);
    return attempts;
  }

  forget(message: ConsumedMessage): void {
    this.counts.delete(recordId(message));
  }

  clear(): void {
    this.counts.clear();
  }
}

const recordId = ({ topic, partition, offset }: ConsumedMessage): string => `${topic}\u0000${partition}\u0000${offset}`;
