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
  private readonly entries = new Map<string, VersionedState<unknown>>();

  constructor(readonly capacity: number) {}

  /** The kept state, made the most recently used. */
  get<State>(aggregateType: string, aggregateId: string): VersionedState<State> | undefined {
    const key = keyOf(aggregateType, aggregateId);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    // Sound: an aggregate type's states are only ever stored by that type's definition.
    return entry as VersionedState<State>;
  }

  /** Keeps `entry`, unless a newer state of the aggregate is already kept. */
  remember<State>(aggregateType: string, aggregateId: string, entry: VersionedState<State>): void {
    if (this.capacity <= 0) return;
    const key = keyOf(aggregateType, aggregateId);
    const kept = this.entries.get(key);
    if (kept !== undefined && kept.version >= entry.version) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) {
      const leastRecentlyUsed = this.entries.keys().next().value;
      if (leastRecentlyUsed !== undefined) this.entries.delete(leastRecentlyUsed);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

// The type's length first keeps the key unambiguous whatever characters the id holds.
const keyOf = (aggregateType: string, aggregateId: string): string => `${aggregateType.length}:${aggregateType}${aggregateId}`;
