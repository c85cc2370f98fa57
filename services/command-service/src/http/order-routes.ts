import { randomUUID } from 'node:crypto';
import {
  OrderNotFoundError,
  cancelOrderPayloadSchema,
  confirmOrderPayloadSchema,
  createOrderPayloadSchema,
  deliverOrderPayloadSchema,
  orderAggregateType,
  orderSnapshotSchema,
  shipOrderPayloadSchema,
  updateOrderItemsPayloadSchema,
} from '@scylla-es/domain';
import type { AggregateQueries } from '../application/aggregate-queries';
import type { OrderAggregate } from '../application/aggregates';
import { idFromIdempotencyKey } from '../application/deterministic-id';
import type { IdempotentCommands } from '../application/idempotent-commands';
import type { OrderCommands } from '../application/order-commands';
import { commandRoute } from './command-route';
import { queryRoutes } from './query-routes';
import type { RouteSpec } from './route-spec';
import { idParams } from './schemas';
import { z } from 'zod';

export interface OrderRoutesDependencies {
  readonly orders: OrderCommands;
  readonly queries: AggregateQueries;
  readonly definition: OrderAggregate;
  readonly idempotency: IdempotentCommands;
}

const TAG = 'orders';
const noParams = z.object({});

export function orderRoutes({ orders, queries, definition, idempotency }: OrderRoutesDependencies): RouteSpec[] {
  const onOrder = { tag: TAG, params: idParams, aggregateId: ({ params }: { params: { id: string } }) => params.id };
  return [
    commandRoute(
      {
        method: 'post',
        path: '/orders',
        operationId: 'createOrder',
        summary: 'Create an order (orderId optional: derived from the Idempotency-Key, else random)',
        tag: TAG,
        params: noParams,
        body: createOrderPayloadSchema,
        bodyRequired: true,
        created: { location: (id) => `/orders/${id}` },
        aggregateId: ({ body, idempotencyKey }) =>
          body.orderId?.toLowerCase() ??
          (idempotencyKey === undefined ? randomUUID() : idFromIdempotencyKey(orderAggregateType, idempotencyKey)),
        execute: ({ body, aggregateId, context }) =>
          orders.create(aggregateId, { customerId: body.customerId, items: body.items }, context),
        problems: [],
      },
      idempotency,
    ),
    commandRoute(
      {
        ...onOrder,
        method: 'put',
        path: '/orders/:id/items',
        operationId: 'updateOrderItems',
        summary: 'Replace the items of a Created order',
        body: updateOrderItemsPayloadSchema,
        bodyRequired: true,
        execute: ({ aggregateId, body, context }) => orders.updateItems(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        ...onOrder,
        method: 'post',
        path: '/orders/:id/confirm',
        operationId: 'confirmOrder',
        summary: 'Confirm a Created order',
        body: confirmOrderPayloadSchema,
        bodyRequired: false,
        execute: ({ aggregateId, context }) => orders.confirm(aggregateId, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        ...onOrder,
        method: 'post',
        path: '/orders/:id/ship',
        operationId: 'shipOrder',
        summary: 'Ship a Confirmed order',
        body: shipOrderPayloadSchema,
        bodyRequired: true,
        execute: ({ aggregateId, body, context }) => orders.ship(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        ...onOrder,
        method: 'post',
        path: '/orders/:id/deliver',
        operationId: 'deliverOrder',
        summary: 'Record the delivery of a Shipped order',
        body: deliverOrderPayloadSchema,
        bodyRequired: false,
        execute: ({ aggregateId, body, context }) => orders.deliver(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    commandRoute(
      {
        ...onOrder,
        method: 'post',
        path: '/orders/:id/cancel',
        operationId: 'cancelOrder',
        summary: 'Cancel an order that is not Delivered',
        body: cancelOrderPayloadSchema,
        bodyRequired: false,
        execute: ({ aggregateId, body, context }) => orders.cancel(aggregateId, body, context),
        problems: [404],
      },
      idempotency,
    ),
    ...queryRoutes({
      basePath: '/orders',
      name: 'Order',
      tag: TAG,
      definition,
      stateSchema: orderSnapshotSchema,
      notFound: () => new OrderNotFoundError(),
      queries,
    }),
  ];
}
