import type { Client } from 'cassandra-driver';
import { customerAggregateType, orderAggregateType } from '@scylla-es/domain';
import { projectCustomerEvent } from '../customers/customer-projection';
import { CustomerTables } from '../customers/customer-tables';
import { projectOrderEvent } from '../orders/order-projection';
import { OrderTables } from '../orders/order-tables';
import type { OrderView } from '../orders/order-view';
import { viewProjection, type StreamProjection, type ViewStore } from './stream-projection';

/** Every read model of the projector, their tables (for the queries) and the projections that fill them. */
export interface ReadModels {
  readonly orders: OrderTables;
  readonly customers: CustomerTables;
  readonly projections: readonly StreamProjection[];
}

export function readModels(client: Client, keyspace: string): ReadModels {
  const orders = new OrderTables(client, keyspace);
  const customers = new CustomerTables(client, keyspace);
  // A new order changes its customer's number of orders. The recount follows the order's write; when a crash
  // falls between the two, the redelivered creation finds the order written and repeats only the recount.
  const ordersCountedForCustomers: ViewStore<OrderView> = {
    load: (orderId) => orders.load(orderId),
    save: async (before, after, event) => {
      await orders.save(before, after, event);
      if (before === null) await customers.recountOrders(after.order.customerId);
    },
    repeatFollowUps: async (view, event) => {
      if (event.sequence === 1) await customers.recountOrders(view.order.customerId);
    },
  };
  return {
    orders,
    customers,
    projections: [
      viewProjection(orderAggregateType, projectOrderEvent, ordersCountedForCustomers),
      viewProjection(customerAggregateType, projectCustomerEvent, customers),
    ],
  };
}
