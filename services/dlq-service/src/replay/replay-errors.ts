import { NotFoundError, UnprocessableReferenceError } from '@scylla-es/es-core';

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
 * 422: a stored event_store row lacks what makes it a message (its outbox envelope, or JSON data): it can never be
 * sent as the relay sent it. `sentBefore` events of the same republish were already sent.
 */
export class StoredEventMalformedError extends UnprocessableReferenceError {
  constructor(
    readonly aggregateId: string,
    readonly sequence: number | null,
    readonly reason: string,
    sentBefore: number,
  ) {
    super('stored-event-malformed', `event ${aggregateId}/${sequence ?? '?'} in event_store cannot be sent: ${reason}`, {
      aggregateId,
      sequence,
      reason,
      sentBefore,
    });
  }
}
