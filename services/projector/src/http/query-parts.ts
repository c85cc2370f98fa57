import type { CustomerTables } from '../customers/customer-tables';
import type { OrderListings } from '../orders/order-listings';
import type { OrderTables } from '../orders/order-tables';

/** The tables queries read: those of each projection's active copy at the time of the request. */
export interface ActiveTables {
  orders(): Promise<OrderTables>;
  customers(): Promise<CustomerTables>;
  listings(): Promise<OrderListings>;
}

/** What the query routes read from, and how long `?minVersion` may wait. */
export interface QueryParts {
  readonly active: ActiveTables;
  readonly minVersionWaitMs: number;
}
