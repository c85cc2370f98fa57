import type { EventTypeDefinition } from '@scylla-es/es-core';
import { z } from 'zod';
import { timestampSchema, type EventFromSchema } from '../shared/schemas';

// Event data schemas validate what is written and what is read back after upcasting. They check structure only,
// not the command limits (max quantity, text length): a limit changed later must not make stored history unreadable.

const orderItemDataSchema = z.object({
  productId: z.uuid(),
  quantity: z.int().positive(),
});

export const orderCreatedDataSchema = z.object({
  orderId: z.uuid(),
  customerId: z.uuid(),
  items: z.array(orderItemDataSchema).min(1),
  createdAt: timestampSchema,
});

export const orderItemsUpdatedDataSchema = z.object({
  items: z.array(orderItemDataSchema).min(1),
  reason: z.string().optional(),
  updatedAt: timestampSchema,
});

export const orderConfirmedDataSchema = z.object({
  confirmedAt: timestampSchema,
});

export const orderShippedDataSchema = z.object({
  trackingNumber: z.string().min(1),
  carrier: z.string().min(1),
  shippedAt: timestampSchema,
});

export const orderDeliveredDataSchema = z.object({
  deliveredAt: timestampSchema,
  signature: z.string().optional(),
});

export const orderCancelledDataSchema = z.object({
  reason: z.string().optional(),
  cancelledBy: z.string().optional(),
  cancelledAt: timestampSchema,
});

export type OrderCreated = EventFromSchema<'OrderCreated', typeof orderCreatedDataSchema>;
export type OrderItemsUpdated = EventFromSchema<'OrderItemsUpdated', typeof orderItemsUpdatedDataSchema>;
export type OrderConfirmed = EventFromSchema<'OrderConfirmed', typeof orderConfirmedDataSchema>;
export type OrderShipped = EventFromSchema<'OrderShipped', typeof orderShippedDataSchema>;
export type OrderDelivered = EventFromSchema<'OrderDelivered', typeof orderDeliveredDataSchema>;
export type OrderCancelled = EventFromSchema<'OrderCancelled', typeof orderCancelledDataSchema>;

export type OrderEvent =
  | OrderCreated
  | OrderItemsUpdated
  | OrderConfirmed
  | OrderShipped
  | OrderDelivered
  | OrderCancelled;

export type OrderEventType = OrderEvent['type'];

/**
 * The schema version written today for each event type, keyed by type so that forgetting one fails to compile.
 * OrderCreated and OrderShipped are at 2 because version 1 is the legacy snake_case payload (see upcasters.ts).
 */
const orderEventSchemas: { readonly [Type in OrderEventType]: Omit<EventTypeDefinition, 'type'> } = {
  OrderCreated: { schemaVersion: 2, schema: orderCreatedDataSchema },
  OrderItemsUpdated: { schemaVersion: 1, schema: orderItemsUpdatedDataSchema },
  OrderConfirmed: { schemaVersion: 1, schema: orderConfirmedDataSchema },
  OrderShipped: { schemaVersion: 2, schema: orderShippedDataSchema },
  OrderDelivered: { schemaVersion: 1, schema: orderDeliveredDataSchema },
  OrderCancelled: { schemaVersion: 1, schema: orderCancelledDataSchema },
};

export const orderEventDefinitions: readonly EventTypeDefinition[] = Object.entries(orderEventSchemas).map(
  ([type, definition]) => ({ type, ...definition }),
);
