import { randomUUID } from 'node:crypto';
import {
  cancelOrderPayloadSchema,
  confirmOrderPayloadSchema,
  createOrderPayloadSchema,
  deliverOrderPayloadSchema,
  orderAggregateType,
  orderSnapshotSchema,
  shipOrderPayloadSchema,
  updateOrderItemsPayloadSchema,
} from '@scylla-es/domain';
import { idFromIdempotencyKey } from '../application/deterministic-id';
import { createOrder } from '../application/order-use-cases';
import { commandRoutesOn, useCaseRoute } from './command-route';
import { queryRoutes } from './query-routes';
import type { RouteSpec } from './route-spec';
import type { CommandServiceParts } from './routes';
import { idParams } from './schemas';
import { z } from 'zod';

const TAG = 'orders';
const noParams = z.object({});

export function orderRoutes(parts: CommandServiceParts): RouteSpec[] {
  const { targets, queries } = parts;
  const onOrder = {
    tag: TAG,
    params: idParams,
    aggregateId: ({ params }: { params: { id: string } }) => params.id,
  };
  const orderCommandRoute = commandRoutesOn(targets.order, parts);
  return [
    useCaseRoute(
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
        useCase: ({ body, aggregateId, context }) =>
          createOrder(parts, aggregateId, { customerId: body.customerId, items: body.items }, context),
        problems: [],
      },
      parts,
    ),
    orderCommandRoute({
      ...onOrder,
      method: 'put',
      path: '/orders/:id/items',
      operationId: 'updateOrderItems',
      summary: 'Replace the items of a Created order',
      body: updateOrderItemsPayloadSchema,
      bodyRequired: true,
      command: ({ body, context }) => ({ type: 'UpdateItems', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    orderCommandRoute({
      ...onOrder,
      method: 'post',
      path: '/orders/:id/confirm',
      operationId: 'confirmOrder',
      summary: 'Confirm a Created order',
      body: confirmOrderPayloadSchema,
      bodyRequired: false,
      command: ({ context }) => ({ type: 'ConfirmOrder', data: {}, metadata: { now: context.now } }),
      problems: [404],
    }),
    orderCommandRoute({
      ...onOrder,
      method: 'post',
      path: '/orders/:id/ship',
      operationId: 'shipOrder',
      summary: 'Ship a Confirmed order',
      body: shipOrderPayloadSchema,
      bodyRequired: true,
      command: ({ body, context }) => ({ type: 'ShipOrder', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    orderCommandRoute({
      ...onOrder,
      method: 'post',
      path: '/orders/:id/deliver',
      operationId: 'deliverOrder',
      summary: 'Record the delivery of a Shipped order',
      body: deliverOrderPayloadSchema,
      bodyRequired: false,
      command: ({ body, context }) => ({ type: 'DeliverOrder', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    orderCommandRoute({
      ...onOrder,
      method: 'post',
      path: '/orders/:id/cancel',
      operationId: 'cancelOrder',
      summary: 'Cancel an order that is not Delivered',
      body: cancelOrderPayloadSchema,
      bodyRequired: false,
      command: ({ body, context }) => ({ type: 'CancelOrder', data: body, metadata: { now: context.now } }),
      problems: [404],
    }),
    ...queryRoutes({
      basePath: '/orders',
      name: 'Order',
      tag: TAG,
      definition: targets.order.definition,
      stateSchema: orderSnapshotSchema,
      notFound: targets.order.notFound,
      queries,
    }),
  ];
}
