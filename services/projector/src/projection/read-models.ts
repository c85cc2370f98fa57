import type { Client } from 'cassandra-driver';
import { customerAggregateType, orderAggregateType } from '@scylla-es/domain';
import { COPIES, type Copy } from '../copies/copy';
import type { CopiesState } from '../copies/copies-state';
import { writtenCopies } from '../copies/projection-copies';
import { projectCustomerEvent } from '../customers/customer-projection';
import { CustomerTables } from '../customers/customer-tables';
import { OrderListings } from '../orders/order-listings';
import { projectOrderEvent } from '../orders/order-projection';
import { OrderTables } from '../orders/order-tables';
import type { OrderView } from '../orders/order-view';
import { recentViews } from './recent-views';
import { viewProjection, type StreamProjection, type ViewStore } from './stream-projection';

/** One copy of every read model table, for queries and writes. */
export interface CopyTables {
  readonly orders: OrderTables;
  readonly customers: CustomerTables;
  readonly listings: OrderListings;
}

/** Every read model of the projector in both copies, and the projections that fill each copy. */
export interface ReadModels {
  readonly tables: Readonly<Record<Copy, CopyTables>>;
  readonly projections: Readonly<Record<Copy, readonly StreamProjection[]>>;
  /** Writes the customer's number of orders, counted in the active orders copy, to the customer copies written now. */
  recountOrders(customerId: string): Promise<void>;
}

/** `viewCacheSize`: views of recently applied aggregates each projection of each copy remembers (recentViews). */
export function readModels(client: Client, keyspace: string, copies: CopiesState, viewCacheSize: number): ReadModels {
  const tablesOf = (copy: Copy): CopyTables => ({
    orders: new OrderTables(client, keyspace, copy),
    customers: new CustomerTables(client, keyspace, copy),
    listings: new OrderListings(client, keyspace, copy),
  });
  const tables = { a: tablesOf('a'), b: tablesOf('b') };
  const recountOrders = async (customerId: string) => {
    const count = await tables[(await copies.current('orders')).active].orders.countOrdersOf(customerId);
    for (const copy of writtenCopies(await copies.current('customers'))) await tables[copy].customers.setOrderCount(customerId, count);
  };
  // A new order changes its customer's number of orders. The recount follows the order's write; when a crash
  // falls between the two, the redelivered creation finds the order written and repeats only the recount.
  const ordersCountedForCustomers = (orders: OrderTables): ViewStore<OrderView> => ({
    load: (orderId) => orders.load(orderId),
    save: async (before, after, event) => {
      await orders.save(before, after, event);
      if (before === null) await recountOrders(after.order.customerId);
    },
    saveAll: async (steps) => {
      await orders.saveAll(steps);
      const first = steps[0];
      if (first && first.before === null) await recountOrders(first.after.order.customerId);
    },
    repeatFollowUps: async (view, event) => {
      if (event.sequence === 1) await recountOrders(view.order.customerId);
    },
  });
  const projectionsOf = (copy: Copy): readonly StreamProjection[] => [
    viewProjection(orderAggregateType, projectOrderEvent, recentViews(ordersCountedForCustomers(tables[copy].orders), viewCacheSize)),
    viewProjection(customerAggregateType, projectCustomerEvent, recentViews(tables[copy].customers, viewCacheSize)),
  ];
  const projections = Object.fromEntries(COPIES.map((copy) => [copy, projectionsOf(copy)])) as Record<Copy, readonly StreamProjection[]>;
  return { tables, projections, recountOrders };
}
