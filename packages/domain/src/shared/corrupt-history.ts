/**
 * An event history that no sequence of accepted commands could have produced (e.g. an update before the
 * creation). It means corrupted or mis-routed data, not a user mistake, so it is a plain Error (HTTP 500),
 * never one of the 4xx domain errors.
 */
export class CorruptEventHistoryError extends Error {
  constructor(
    readonly aggregateType: string,
    readonly eventType: string,
  ) {
    super(`${eventType} cannot be applied to a ${aggregateType} that was never created`);
    this.name = 'CorruptEventHistoryError';
  }
}
