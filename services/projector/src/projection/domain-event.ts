import type { RecordedEvent } from '@scylla-es/es-core';

/**
 * The domain event inside a recorded one. The cast is sound because every recorded event reaching a projection
 * was lifted by its aggregate's upcasters and validated against its type's current schema (EventUpcasting.lift),
 * which is exactly what the domain's event union describes.
 */
export function domainEventOf<Event extends { readonly type: string; readonly data: unknown }>(event: RecordedEvent): Event {
  return { type: event.type, data: event.data } as Event;
}
