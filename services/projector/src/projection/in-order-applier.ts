import type { EventStore, RecordedEvent } from '@scylla-es/es-core';
import type { StreamProjection } from './stream-projection';

/** How one event from the topic was taken in. */
export interface ApplyOutcome {
  readonly aggregateType: string;
  /** `applied`: it (and any gap before it) is now in the model; `duplicate`: the model already reflected it. */
  readonly result: 'applied' | 'duplicate' | 'unknown-aggregate-type';
  /** Events read from event_store to fill a gap before it. */
  readonly gapFilled: number;
}

/** How consecutive events of one aggregate from the topic were taken in at once. */
export interface RunOutcome {
  readonly aggregateType: string;
  /** Events of the run now in the model, from its first on; 0 when the run is better applied event by event. */
  readonly applied: number;
  /** Events read from event_store to fill a gap before the run. */
  readonly gapFilled: number;
}

/** event_store did not return the events a gap needs: they must exist (the event after them does), so retry. */
export class GapNotFilledError extends Error {
  constructor(aggregateId: string, from: number, to: number, got: number) {
    super(`event_store returned ${got} of events ${from}..${to} of ${aggregateId}; the gap before ${to + 1} stays open`);
    this.name = 'GapNotFilledError';
  }
}

/**
 * Applies events to the read models strictly in stream order, once each. A model row knows the sequence it
 * reflects: an event at or below it is a duplicate (a redelivery, a replayed offset) and changes nothing; an
 * event further ahead than the next one means the topic skipped some, and the missing ones are read from
 * event_store (through the aggregate's upcasters) and applied first.
 */
export class InOrderApplier {
  private readonly projections: ReadonlyMap<string, StreamProjection>;

  constructor(
    projections: readonly StreamProjection[],
    private readonly events: EventStore,
  ) {
    this.projections = new Map(projections.map((projection) => [projection.aggregateType, projection]));
  }

  async apply(event: RecordedEvent): Promise<ApplyOutcome> {
    const { aggregateType } = event;
    const projection = this.projections.get(aggregateType);
    if (!projection) return { aggregateType, result: 'unknown-aggregate-type', gapFilled: 0 };
    let stream = await projection.load(event.aggregateId);
    if (event.sequence <= stream.version) {
      await stream.repeat(event);
      return { aggregateType, result: 'duplicate', gapFilled: 0 };
    }
    const missing = await this.missingBefore(event, stream.version);
    for (const earlier of missing) stream = await stream.apply(earlier);
    await stream.apply(event);
    return { aggregateType, result: 'applied', gapFilled: missing.length };
  }

  /**
   * Applies a run of one aggregate's events with one write: the gap before it, then its events while their
   * sequences follow on and the projection accepts them. A run that starts with an event the model already
   * reflects is declined (applied 0): duplicates are handled one by one, with their follow-ups.
   */
  async applyRun(run: readonly RecordedEvent[]): Promise<RunOutcome> {
    const first = run[0];
    const projection = first && this.projections.get(first.aggregateType);
    if (!first || !projection) return { aggregateType: first?.aggregateType ?? '', applied: 0, gapFilled: 0 };
    const stream = await projection.load(first.aggregateId);
    if (first.sequence <= stream.version) return { aggregateType: first.aggregateType, applied: 0, gapFilled: 0 };
    const contiguous = run.slice(0, lengthOfSequence(run));
    const missing = await this.missingBefore(first, stream.version);
    const { applied } = await stream.applyAll([...missing, ...contiguous]);
    return { aggregateType: first.aggregateType, applied: Math.max(0, applied - missing.length), gapFilled: Math.min(applied, missing.length) };
  }

  private async missingBefore(event: RecordedEvent, version: number): Promise<RecordedEvent[]> {
    const from = version + 1;
    const to = event.sequence - 1;
    if (from > to) return [];
    const missing: RecordedEvent[] = [];
    for await (const earlier of this.events.read(event.aggregateId, { fromSequence: from, toSequence: to })) missing.push(earlier);
    const contiguous = missing.every((earlier, index) => earlier.sequence === from + index);
    if (missing.length !== to - from + 1 || !contiguous) throw new GapNotFilledError(event.aggregateId, from, to, missing.length);
    return missing;
  }
}

/** How many events from the first on are the same aggregate's, each the one after the one before. */
function lengthOfSequence(run: readonly RecordedEvent[]): number {
  const first = run[0];
  let length = first ? 1 : 0;
  while (first && run[length]?.aggregateId === first.aggregateId && run[length]?.sequence === first.sequence + length) length += 1;
  return length;
}
