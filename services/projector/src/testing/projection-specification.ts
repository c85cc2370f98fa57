import type { RecordedEvent } from '@scylla-es/es-core';

/** A projection function: the read model's next state after the stream's next event. */
export type Projection<View> = (current: View | null, event: RecordedEvent) => View;

/**
 * Given/when/then for projections, like the domain's decider specifications: `given` is the history already
 * applied, `when` the next event, `then` what the view must look like afterwards. Test-only (uses Jest's expect).
 */
export function projectionSpecification<View>(project: Projection<View>) {
  const fold = (history: readonly RecordedEvent[]): View | null =>
    history.reduce<View | null>((view, event) => project(view, event), null);
  return {
    given: (history: readonly RecordedEvent[]) => ({
      when: (event: RecordedEvent) => ({
        then(expected: Partial<View> | ((view: View) => void)): void {
          const view = project(fold(history), event);
          if (typeof expected === 'function') expected(view);
          else expect(view).toMatchObject(expected);
        },
        thenThrows(message: RegExp): void {
          expect(() => project(fold(history), event)).toThrow(message);
        },
      }),
    }),
  };
}

/** Recorded events of one stream, numbered in order, each occurring one second after the previous. */
export function streamOf(
  aggregateType: string,
  aggregateId: string,
  events: readonly { readonly type: string; readonly data: unknown }[],
  firstOccurredAt = new Date('2025-03-01T09:00:00.000Z'),
): RecordedEvent[] {
  return events.map((event, index) => ({
    eventId: `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
    type: event.type,
    schemaVersion: 1,
    aggregateType,
    aggregateId,
    sequence: index + 1,
    occurredAt: new Date(firstOccurredAt.getTime() + index * 1000),
    data: event.data,
    metadata: { correlationId: 'spec' },
  }));
}
