/** The aggregate a parked event belongs to. */
export interface AggregateRef {
  readonly aggregateType: string;
  readonly aggregateId: string;
}

/** The last failure of a parked head, as its dead letter names it. */
export interface ParkedFailure {
  readonly errorClass: string;
  readonly errorMessage: string;
}

/**
 * A parked aggregate: where its events come from and its head, the first event it could not apply. Every
 * later event of the aggregate is held behind the head until a replay of the head releases them.
 */
export interface ParkedHead extends AggregateRef, ParkedFailure {
  readonly topic: string;
  readonly partition: number;
  readonly sequence: number;
  readonly eventId: string;
  /** Handling attempts of the head so far, replays included. */
  readonly attempts: number;
  /** The offset of the last replay of the head that failed: a redelivery of that replay is not a new attempt. */
  readonly replayedOffset: string | undefined;
  readonly parkedAt: Date;
}

export const aggregateKey = ({ aggregateType, aggregateId }: AggregateRef): string => `${aggregateType}\u0000${aggregateId}`;

/** The failure as a dead letter and the table keep it: the error's class and message. */
export function failureOf(error: unknown): ParkedFailure {
  if (error instanceof Error) return { errorClass: error.name || error.constructor.name, errorMessage: error.message };
  return { errorClass: typeof error, errorMessage: String(error) };
}

/** A stored failure as an error again, for a dead letter sent anew (its class is its name). */
export function errorOf({ errorClass, errorMessage }: ParkedFailure): Error {
  const error = new Error(errorMessage);
  error.name = errorClass;
  return error;
}
