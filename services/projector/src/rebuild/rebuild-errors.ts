import { EventSourcingError } from '@scylla-es/es-core';

/** A projection is rebuilt by one rebuild at a time (HTTP 409). */
export class RebuildInProgressError extends EventSourcingError {
  readonly status = 409;
  constructor(projection: string, rebuildId: string | undefined, phase: string) {
    super('rebuild-in-progress', `projection ${projection} is already being rebuilt (${phase})`, { projection, rebuildId, phase });
  }
}

/** Nothing to cancel: no rebuild, or one that already swapped the copies and only finishes (HTTP 409). */
export class RebuildNotCancellableError extends EventSourcingError {
  readonly status = 409;
  constructor(projection: string, phase: string) {
    super('rebuild-not-cancellable', `projection ${projection} has no rebuild that can still be cancelled (${phase})`, { projection, phase });
  }
}
