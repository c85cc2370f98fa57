/**
 * Event ids the relay published lately. A lightweight transaction that Paxos re-commits (a later round finds
 * the accepted batch and commits it again, with a newer timestamp) puts the same event rows in the CDC log a
 * second time, seconds apart; ScyllaDB's log and the local emulation both show it. Remembering recent ids turns
 * that into one message. Bounded, and empty after a restart: delivery stays at-least-once, deduplicated at best.
 */
export class RecentEvents {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  add(eventId: string): void {
    if (this.capacity <= 0) return;
    this.ids.add(eventId);
    // A Set iterates in insertion order: the first id is the oldest.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
}
