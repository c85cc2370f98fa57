import type { RecordedEvent } from '@scylla-es/es-core';
import type { Copy } from '../copies/copy';
import type { CopiesState } from '../copies/copies-state';
import { projectionOfAggregate, writtenCopies } from '../copies/projection-copies';
import type { ApplyOutcome, InOrderApplier, RunOutcome } from './in-order-applier';

/** What the consumer hands events to. */
export interface EventApplier {
  apply(event: RecordedEvent): Promise<ApplyOutcome>;
  /** Consecutive events of one aggregate at once, as far as they go (InOrderApplier.applyRun). */
  applyRun(run: readonly RecordedEvent[]): Promise<RunOutcome>;
}

/**
 * Applies a live event to every copy of its projection that the current phase writes: the active one, and
 * during a rebuild the one being filled or drained. Each copy has its own in-order applier, so a copy the rebuild
 * has not reached yet fills the aggregate's gap from event_store like any other gap. The outcome reported is
 * the active copy's.
 */
export class CopyingApplier implements EventApplier {
  constructor(
    private readonly appliers: Readonly<Record<Copy, InOrderApplier>>,
    private readonly copies: CopiesState,
  ) {}

  async apply(event: RecordedEvent): Promise<ApplyOutcome> {
    const [active, ...others] = await this.copiesOf(event);
    const outcome = await this.appliers[active].apply(event);
    for (const copy of others) await this.appliers[copy].apply(event);
    return outcome;
  }

  /** The other copies take exactly the events the active one took: by a run where they can, else one by one. */
  async applyRun(run: readonly RecordedEvent[]): Promise<RunOutcome> {
    const first = run[0];
    if (!first) return { aggregateType: '', applied: 0, gapFilled: 0 };
    const [active, ...others] = await this.copiesOf(first);
    const outcome = await this.appliers[active].applyRun(run);
    const taken = run.slice(0, outcome.applied);
    for (const copy of others) {
      const { applied } = taken.length > 0 ? await this.appliers[copy].applyRun(taken) : { applied: 0 };
      for (const event of taken.slice(applied)) await this.appliers[copy].apply(event);
    }
    return outcome;
  }

  private async copiesOf(event: RecordedEvent): Promise<[Copy, ...Copy[]]> {
    const projection = projectionOfAggregate(event.aggregateType);
    if (!projection) return ['a'];
    const [active, ...others] = writtenCopies(await this.copies.current(projection));
    return [active as Copy, ...others];
  }
}
