import type { CustomerTables } from '../customers/customer-tables';
import type { OrderListings } from '../orders/order-listings';
import type { OrderTables } from '../orders/order-tables';

/** What the query routes read from, and how long `?minVersion` may wait. */
export interface QueryParts {
  readonly orders: OrderTables;
  readonly customers: CustomerTables;
  readonly listings: OrderListings;
  readonly minVersionWaitMs: number;
}
