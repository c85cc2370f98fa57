import type { RecordedEvent } from '@scylla-es/es-core';
import type { Copy } from '../copies/copy';
import type { CopiesState } from '../copies/copies-state';
import { projectionOfAggregate, writtenCopies } from '../copies/projection-copies';
import type { ApplyOutcome, InOrderApplier } from './in-order-applier';

/** What the consumer hands each event to. */
export interface EventApplier {
  apply(event: RecordedEvent): Promise<ApplyOutcome>;
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
    const projection = projectionOfAggregate(event.aggregateType);
    if (!projection) return this.appliers.a.apply(event);
    const state = await this.copies.current(projection);
    const [active, ...others] = writtenCopies(state);
    const outcome = await this.appliers[active as Copy].apply(event);
    for (const copy of others) await this.appliers[copy].apply(event);
    return outcome;
  }
}
