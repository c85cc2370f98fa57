/**
 * A decider is the whole behaviour of one aggregate as three pure functions:
 * `decide` turns a command and the current state into new events (or throws a typed domain error),
 * `evolve` folds one event into the state, `initialState` is the state before any event.
 * Purity keeps replay deterministic: time and ids come in through the command, never from the clock.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
}

/** An event as a decider sees it: a type tag and its data. Envelope fields live elsewhere. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

/** Folds a history of events into a state, starting from `initialState` or a given state (a snapshot). */
export function replay<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: Iterable<Event>,
  from: State = decider.initialState(),
): State {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
