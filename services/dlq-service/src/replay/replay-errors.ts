import { EventSourcingError, NotFoundError, UnprocessableReferenceError } from '@scylla-es/es-core';

export class MessageNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('dlq-message-not-found', `no dead-letter message ${id}`, { id });
  }
}

/** 422: the message lacks what a replay needs (an original topic, or its payload and the coordinates to reload it). */
export class NotReplayableError extends UnprocessableReferenceError {
  constructor(id: string, reason: string) {
    super('message-not-replayable', `message ${id} cannot be replayed: ${reason}`, { id, reason });
  }
}

/** 422: the broker refused what was sent for good (e.g. still too large); nothing was changed. */
export class SendRefusedError extends UnprocessableReferenceError {
  constructor(what: string, reason: string) {
    super('send-refused', `the broker refused ${what}: ${reason}`, { reason });
  }
}

export class AggregateNotFoundError extends NotFoundError {
  constructor(aggregateType: string, aggregateId: string) {
    super('aggregate-not-found', `no ${aggregateType} ${aggregateId} with events in the requested range in event_store`, { aggregateType, aggregateId });
  }
}

/**
 * 501: republishing an aggregate type over a time range needs the token-range scanner of event_store, which this
 * build does not have yet; republish the affected aggregates one by one meanwhile.
 */
export class TimeRangeRepublishUnavailableError extends EventSourcingError {
  readonly status = 501;
  constructor() {
    super('time-range-republish-unavailable', 'republishing a time range is not available yet; republish each aggregate by its id');
  }
}
