import type { Customer } from '@scylla-es/domain';

/** One customer as its read model keeps it: the domain's customer, the stream version it reflects, its last event's time. */
export interface CustomerView {
  readonly customer: Customer;
  readonly version: number;
  readonly lastEventAt: Date;
}
