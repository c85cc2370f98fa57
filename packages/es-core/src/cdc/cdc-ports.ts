import type { CdcChange } from './cdc-change';

export interface StreamGroup {
  /** The vnode index shared by the group's streams. */
  readonly id: number;
  readonly streams: readonly Buffer[];
}

export interface Generation {
  /** Writes with a timestamp at or after this instant (and before the next generation's) use these streams. */
  readonly time: Date;
  readonly groups: readonly StreamGroup[];
}

export interface GroupCheckpoint {
  readonly generation: Date;
  readonly groupId: number;
  /** Everything at or before this instant (ms) was acknowledged downstream. */
  readonly position: Date;
}

/** The CDC generations of the cluster. */
export interface GenerationSource {
  /** Every known generation, oldest first. */
  generations(): Promise<Generation[]>;
}

/** The CDC log of one base table. */
export interface ChangeLog {
  /**
   * The changes of one group's streams written after millisecond `after` up to and including millisecond `upTo`,
   * a page at a time, so a consumer acknowledges one page before the next is read. Each stream's changes come in
   * log order and together (the streams one after the other); a page may hold several streams.
   */
  window(streams: readonly Buffer[], after: Date, upTo: Date): AsyncIterable<CdcChange[]>;
}

/**
 * Where one consumer stands, per (generation, stream group). Written only after the consumer acknowledged
 * every change up to the position, so a restart re-delivers at most the last unacknowledged window.
 */
export interface CheckpointStore {
  all(): Promise<GroupCheckpoint[]>;
  /** Saves several groups' checkpoints together (one write for the lot where the store can). */
  save(checkpoints: readonly GroupCheckpoint[]): Promise<void>;
}

/**
 * Ownership of buckets of stream groups among one consumer's instances: a lease not renewed within its TTL
 * expires, and two owners of one bucket never coexist.
 */
export interface LeaseStore {
  /** This instance's name in the leases. */
  readonly owner: string;
  /** Announces this instance as alive and returns every live instance, this one included. */
  heartbeat(): Promise<string[]>;
  /** Leaves the membership at shutdown, so the others rebalance at once instead of after the TTL. */
  leave(): Promise<void>;
  /** Current owners by bucket (expired leases are gone). */
  owners(): Promise<Map<number, string>>;
  /** Takes a free bucket; false when another instance holds it. */
  acquire(bucket: number): Promise<boolean>;
  /** Keeps these buckets (one round trip when all are still held) and returns those it still holds. */
  renew(buckets: readonly number[]): Promise<number[]>;
  release(bucket: number): Promise<void>;
}

/** Everything the CDC reader reads and writes, so it can run on the database or on memory. */
export interface CdcSources {
  readonly generations: GenerationSource;
  readonly log: ChangeLog;
  readonly checkpoints: CheckpointStore;
  readonly leases: LeaseStore;
}
