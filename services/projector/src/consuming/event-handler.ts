import type { EventUpcasting } from '@scylla-es/es-core';
import { eventOfEnvelope, type EventEnvelope } from '../events/event-message';
import type { EventApplier } from '../projection/copying-applier';
import type { ProjectorMetrics } from '../projection/projector-metrics';

/** What the consumer runs per message, once its envelope is read: the event it carries, applied in order, measured. */
export function eventHandler(
  applier: EventApplier,
  upcastingFor: (aggregateType: string) => EventUpcasting | undefined,
  metrics: ProjectorMetrics,
): (envelope: EventEnvelope) => Promise<void> {
  return async (envelope) => {
    const started = process.hrtime.bigint();
    const event = eventOfEnvelope(envelope, upcastingFor);
    if (!event) return;
    const outcome = await applier.apply(event);
    metrics.recordApplied(outcome, event.occurredAt, Number(process.hrtime.bigint() - started) / 1e9);
  };
}
