import type { EventUpcasting, RecordedEvent } from '@scylla-es/es-core';
import { eventOfEnvelope, type EventEnvelope } from '../events/event-message';
import type { EventApplier } from '../projection/copying-applier';
import type { ProjectorMetrics } from '../projection/projector-metrics';

/** What the consumer runs once a record's envelope is read: the events it carries, applied in order, measured. */
export interface EventHandler {
  /** One event. */
  apply(envelope: EventEnvelope): Promise<void>;
  /** Consecutive events of one aggregate at once, as far as they go; resolves with how many were applied. */
  applyRun(envelopes: readonly EventEnvelope[]): Promise<number>;
}

export function eventHandler(
  applier: EventApplier,
  upcastingFor: (aggregateType: string) => EventUpcasting | undefined,
  metrics: ProjectorMetrics,
): EventHandler {
  return {
    apply: async (envelope) => {
      const started = process.hrtime.bigint();
      const event = eventOfEnvelope(envelope, upcastingFor);
      if (!event) return;
      const outcome = await applier.apply(event);
      metrics.recordApplied(outcome, event.occurredAt, secondsSince(started));
    },
    applyRun: async (envelopes) => {
      const started = process.hrtime.bigint();
      const events: RecordedEvent[] = [];
      for (const envelope of envelopes) {
        const event = eventOfEnvelope(envelope, upcastingFor);
        if (!event) break;
        events.push(event);
      }
      if (events.length < 2) return 0;
      const outcome = await applier.applyRun(events);
      if (outcome.applied > 0) metrics.recordRunApplied(outcome, events.slice(0, outcome.applied), secondsSince(started));
      return outcome.applied;
    },
  };
}

const secondsSince = (started: bigint): number => Number(process.hrtime.bigint() - started) / 1e9;
