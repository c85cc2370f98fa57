import { NotFoundError, EventSourcingError } from '@scylla-es/es-core';

export class OrderNotProjectedError extends NotFoundError {
  constructor(orderId: string) {
    super('order-not-found', `no order ${orderId} in the read model`, { orderId });
  }
}

export class CustomerNotProjectedError extends NotFoundError {
  constructor(customerId: string) {
    super('customer-not-found', `no customer ${customerId} in the read model`, { customerId });
  }
}

/**
 * `?minVersion=N` asked for a version the read model did not reach in the time allowed (HTTP 503 with
 * Retry-After): the write happened, its event is on its way; asking again shortly will see it.
 */
export class ReadModelBehindError extends EventSourcingError {
  readonly status = 503;
  constructor(resource: string, wantedVersion: number, currentVersion: number, waitedMs: number) {
    super(
      'read-model-behind',
      `the read model of ${resource} is at version ${currentVersion}, ${wantedVersion - currentVersion} behind the requested ${wantedVersion}, after waiting ${waitedMs} ms`,
      { wantedVersion, currentVersion, behindBy: wantedVersion - currentVersion, waitedMs },
    );
  }
}
