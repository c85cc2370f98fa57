/**
 * Starts CQL requests together at the end of the event-loop turn in which they were asked for.
 *
 * The driver writes every request queued in the same tick to its connection in one socket write, but requests
 * born in separate I/O callbacks (one HTTP request each) never share a tick. Deferring their start to one
 * `setImmediate` makes them share it: one write for many requests on this side, and the database reads and
 * answers them in bulk too, which costs both sides less CPU per request under load (see the command-service
 * append bench). The cost is the rest of the current turn in latency.
 */
export class RequestCoalescer {
  private pending: (() => void)[] = [];

  run<T>(start: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push(() => {
        start().then(resolve, reject);
      });
      if (this.pending.length === 1) setImmediate(this.startPending);
    });
  }

  private readonly startPending = (): void => {
    const starts = this.pending;
    this.pending = [];
    for (const start of starts) start();
  };
}
