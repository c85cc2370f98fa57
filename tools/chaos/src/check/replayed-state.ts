import { customerDecider, orderDecider, type CustomerEvent, type OrderEvent } from '@scylla-es/domain';
import type { RecordedEvent } from '@scylla-es/es-core';
import type { StoredStream } from './stored-streams';

/** The aggregate's state folded from its stored events by the domain's own `evolve`, as JSON shows it. */
export function replayedState(stream: StoredStream): Record<string, unknown> | null {
  const state = stream.kind === 'Order' ? fold(stream.events, orderDecider) : fold(stream.events, customerDecider);
  return state === null ? null : (JSON.parse(JSON.stringify(state)) as Record<string, unknown>);
}

interface Evolving<State, Event> {
  initialState(): State;
  evolve(state: State, event: Event): State;
}

function fold<State, Event extends OrderEvent | CustomerEvent>(events: readonly RecordedEvent[], decider: Evolving<State, Event>): State {
  return events.reduce((state, event) => decider.evolve(state, { type: event.type, data: event.data } as Event), decider.initialState());
}

/** JSON text with every object's keys sorted, so two values compare by content alone. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
