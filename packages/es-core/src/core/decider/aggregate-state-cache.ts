/** An aggregate's state right after `version`: the fold of its events 1..version. */
export interface VersionedState<State> {
  readonly state: State;
  readonly version: number;
}

/**
 * The most recently used aggregate states of one process, bounded by `capacity` (least recently used out).
 * An entry is a true past state of its aggregate, never a guess: it was either loaded from the store or
 * produced by an append the store accepted. It may be behind the store's head when other processes write the
 * same aggregate; the command handler decides how far to trust it (see `CommandHandlerOptions.states`).
 */
export class AggregateStateCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Recency as a list, least recently used first. Not the Map's own order (delete and set again to move a key,
   * evict the first key): V8 leaves a deleted entry as a hole that iteration skips, so finding the oldest key
   * walks every hole before it, microseconds per command in a cache of thousands of aggregates.
   */
  private readonly recency: Entry = sentinel();

  constructor(readonly capacity: number) {}

  /** The kept state, made the most recently used. */
  get<State>(aggregateType: string, aggregateId: string): VersionedState<State> | undefined {
    const entry = this.entries.get(keyOf(aggregateType, aggregateId));
    if (entry === undefined) return undefined;
    this.touch(entry);
    // Sound: an aggregate type's states are only ever stored by that type's definition.
    return entry.value as VersionedState<State>;
  }

  /** Keeps `state`, unless a newer state of the aggregate is already kept. */
  remember<State>(aggregateType: string, aggregateId: string, state: VersionedState<State>): void {
    if (this.capacity <= 0) return;
    const key = keyOf(aggregateType, aggregateId);
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      if (kept.value.version < state.version) kept.value = state;
      this.touch(kept);
      return;
    }
    const entry = unlinkedEntry(key, state);
    this.entries.set(key, entry);
    this.touch(entry);
    if (this.entries.size > this.capacity) {
      const leastRecentlyUsed = this.recency.newer;
      unlink(leastRecentlyUsed);
      this.entries.delete(leastRecentlyUsed.key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Moves `entry` to the most recently used end. */
  private touch(entry: Entry): void {
    unlink(entry);
    entry.older = this.recency.older;
    entry.newer = this.recency;
    this.recency.older.newer = entry;
    this.recency.older = entry;
  }
}

/** A kept state in the recency list; the list is a ring through one sentinel entry. */
interface Entry {
  readonly key: string;
  value: VersionedState<unknown>;
  older: Entry;
  newer: Entry;
}

/** An entry linked to itself only: unlinking it changes nothing, linking it anywhere is safe. */
function unlinkedEntry(key: string, value: VersionedState<unknown>): Entry {
  const entry = { key, value } as Entry;
  entry.older = entry;
  entry.newer = entry;
  return entry;
}

const sentinel = (): Entry => unlinkedEntry('', { state: undefined, version: -1 });

function unlink(entry: Entry): void {
  entry.older.newer = entry.newer;
  entry.newer.older = entry.older;
  entry.older = entry;
  entry.newer = entry;
}

// The type's length first keeps the key unambiguous whatever characters the id holds.
const keyOf = (aggregateType: string, aggregateId: string): string => `${aggregateType.length}:${aggregateType}${aggregateId}`;
