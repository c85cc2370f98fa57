import type { CdcChange } from './cdc-change';
import type { CdcChangeHandler, CdcWindow } from './window-reader';

interface WaitingPage {
  readonly changes: readonly CdcChange[];
  readonly window: CdcWindow;
  readonly acknowledged: () => void;
  readonly failed: (error: unknown) => void;
}

/**
 * Hands pages to the handler, at most `limit` calls at once. Pages that arrive while every call is busy wait, and
 * the next free call takes them together, up to `maxRows` rows (a group commit): a pass over many small windows
 * costs a few deliveries downstream (Kafka round trips), not one per window. Each caller learns the outcome of the
 * call that carried its page. Pages are taken in arrival order and a window hands over its next page only once the
 * previous one was acknowledged, so every stream's changes still arrive in log order.
 */
export class DeliveryQueue {
  private inFlight = 0;
  private readonly waiting: WaitingPage[] = [];

  constructor(
    private readonly handler: CdcChangeHandler,
    private readonly limit: number,
    private readonly maxRows: number,
  ) {}

  deliver(changes: readonly CdcChange[], window: CdcWindow): Promise<void> {
    return new Promise<void>((acknowledged, failed) => {
      this.waiting.push({ changes, window, acknowledged, failed });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.limit && this.waiting.length > 0) {
      this.inFlight += 1;
      void this.send(this.takeTogether());
    }
  }

  /** The first waiting page, and those after it of the same generation while they fit in `maxRows`. */
  private takeTogether(): WaitingPage[] {
    const taken = this.waiting.splice(0, 1);
    let rows = taken[0]?.changes.length ?? 0;
    const generation = taken[0]?.window.generation.getTime();
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      if (next.window.generation.getTime() !== generation || rows + next.changes.length > this.maxRows) break;
      rows += next.changes.length;
      taken.push(...this.waiting.splice(0, 1));
    }
    return taken;
  }

  private async send(pages: readonly WaitingPage[]): Promise<void> {
    try {
      await this.handler(
        pages.flatMap((page) => page.changes),
        windowOf(pages.map((page) => page.window)),
      );
      for (const page of pages) page.acknowledged();
    } catch (error) {
      for (const page of pages) page.failed(error);
    } finally {
      this.inFlight -= 1;
      this.drain();
    }
  }
}

/** The window the pages of one delivery come from: their groups, from the earliest start to the latest end. */
function windowOf(windows: readonly CdcWindow[]): CdcWindow {
  const [first, ...others] = windows as [CdcWindow, ...CdcWindow[]];
  if (others.length === 0) return first;
  return {
    generation: first.generation,
    groupIds: [...new Set(windows.flatMap((window) => window.groupIds))],
    from: new Date(Math.min(...windows.map((window) => window.from.getTime()))),
    to: new Date(Math.max(...windows.map((window) => window.to.getTime()))),
  };
}
