export interface Snapshot {
  readonly sequence: number;
  readonly stateVersion: number;
  /** The state as JSON-ready data; the aggregate's snapshot schema turns it back into state. */
  readonly state: unknown;
}

/** Snapshots of aggregate states, an optimisation of loads: losing one only means replaying more events. */
export interface SnapshotStore {
  save(aggregateType: string, aggregateId: string, snapshot: Snapshot): Promise<void>;
  /**
   * The newest snapshot at or below `atOrBelow` (time travel loads an older one). One taken of another
   * aggregate type under the same id (an order id asked for as a customer) counts as none.
   */
  latest(aggregateType: string, aggregateId: string, atOrBelow?: number): Promise<Snapshot | undefined>;
}
