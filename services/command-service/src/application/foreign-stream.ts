import { RuleViolationError, type Decider, type DomainEvent } from '@scylla-es/es-core';

/**
 * The id names a stream of another aggregate type (e.g. `GET /orders/<a customer id>`). Ids share one
 * `event_store` keyspace, so folding a customer's events into an order must stop here, typed, rather than end in
 * a corrupt-history 500. Commands other than creates and queries turn it into their aggregate's 404.
 */
export class ForeignStreamError extends RuleViolationError {
  constructor(
    readonly expectedType: string,
    readonly eventType: string,
  ) {
    super('aggregate-id-in-use', `the id belongs to an aggregate that is not a ${expectedType}`, {
      aggregateType: expectedType,
    });
  }
}

/** The decider, refusing to fold an event that is not one of its own types. */
export function guardedDecider<Command, Event extends DomainEvent, State>(
  aggregateType: string,
  decider: Decider<Command, Event, State>,
  ownEventTypes: ReadonlySet<string>,
): Decider<Command, Event, State> {
  return {
    initialState: decider.initialState,
    decide: decider.decide,
    evolve: (state, event) => {
      if (!ownEventTypes.has(event.type)) throw new ForeignStreamError(aggregateType, event.type);
      return decider.evolve(state, event);
    },
  };
}

