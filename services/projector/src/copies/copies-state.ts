import type { Logger } from '@scylla-es/es-core';
import type { CopiesTable } from './copies-table';
import { PROJECTIONS, type ProjectionCopies, type ProjectionName } from './projection-copies';

interface Known {
  readonly copies: ProjectionCopies;
  /** When the read that returned it was sent: it says nothing about the row before that instant. */
  readonly readAt: number;
}

/**
 * This instance's view of projection_copies, never older than `maxAgeMs`: a view that old is read again before
 * it is used. That bound is what a rebuild waits out (twice, for the reads in flight) before it relies on every
 * instance writing the copies its new phase names; a background poll keeps the hot path from waiting for it.
 */
export class CopiesState {
  private readonly views = new Map<ProjectionName, Known>();
  private poller: NodeJS.Timeout | undefined;

  constructor(
    private readonly table: CopiesTable,
    readonly maxAgeMs: number,
    private readonly logger: Logger,
  ) {}

  async current(projection: ProjectionName): Promise<ProjectionCopies> {
    const known = this.views.get(projection);
    if (known && Date.now() - known.readAt < this.maxAgeMs) return known.copies;
    return this.refresh(projection);
  }

  /** The last view read, without reading (metrics). */
  known(projection: ProjectionName): ProjectionCopies | undefined {
    return this.views.get(projection)?.copies;
  }

  async refresh(projection: ProjectionName): Promise<ProjectionCopies> {
    const readAt = Date.now();
    const copies = await this.table.load(projection);
    const known = this.views.get(projection);
    if (!known || known.readAt <= readAt) this.views.set(projection, { copies, readAt });
    return copies;
  }

  /** Re-reads every projection twice per `maxAgeMs`, so `current` rarely has to. */
  start(): void {
    const poll = () => {
      for (const projection of PROJECTIONS) {
        this.refresh(projection).catch((error: unknown) => this.logger.warn('reading projection_copies failed', { projection, error: String(error) }));
      }
    };
    this.poller = setInterval(poll, Math.max(10, Math.floor(this.maxAgeMs / 2)));
    this.poller.unref();
  }

  stop(): void {
    clearInterval(this.poller);
  }
}
