/**
 * Event ids the relay published lately. A lightweight transaction that Paxos re-commits (a later round finds
 * the accepted batch and commits it again, with a newer timestamp) puts the same event rows in the CDC log a
 * second time, seconds apart; ScyllaDB's log and the local emulation both show it. Remembering recent ids turns
 * that into one message. Bounded, and empty after a restart: delivery stays at-least-once, deduplicated at best.
 */
export class RecentEvents {
  private readonly ids = new Set<string>();
  /**
   * Insertion order as a ring, oldest at `next`. Not the Set's own order: V8 leaves a deleted entry as a hole
   * that iteration skips, so finding the oldest by iterating walks every id deleted before it.
   */
  private readonly order: (string | undefined)[];
  private next = 0;

  constructor(capacity: number) {
    this.order = new Array<string | undefined>(Math.max(0, capacity));
  }

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  add(eventId: string): void {
    if (this.order.length === 0 || this.ids.has(eventId)) return;
    const oldest = this.order[this.next];
    if (oldest !== undefined) this.ids.delete(oldest);
    this.order[this.next] = eventId;
    this.next = (this.next + 1) % this.order.length;
    this.ids.add(eventId);
  }
}
