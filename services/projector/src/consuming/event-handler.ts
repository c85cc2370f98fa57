import type { EventUpcasting } from '@scylla-es/es-core';
import type { ConsumedMessage } from '@scylla-es/es-core/kafka';
import { eventOfMessage } from '../events/event-message';
import type { EventApplier } from '../projection/copying-applier';
import type { ProjectorMetrics } from '../projection/projector-metrics';

/** What the consumer runs per message: the event it carries, applied in order, measured. */
export function eventHandler(
  applier: EventApplier,
  upcastingFor: (aggregateType: string) => EventUpcasting | undefined,
  metrics: ProjectorMetrics,
): (message: ConsumedMessage) => Promise<void> {
  return async (message) => {
    const started = process.hrtime.bigint();
    const event = eventOfMessage(message, upcastingFor);
    if (!event) return;
    const outcome = await applier.apply(event);
    metrics.recordApplied(outcome, event.occurredAt, Number(process.hrtime.bigint() - started) / 1e9);
  };
}
