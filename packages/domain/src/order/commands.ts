import { z } from 'zod';
import type { CustomerStatus } from '../customer/state';
import type { Command, NoData } from '../shared/command';
import { nonBlankText } from '../shared/schemas';

/** Largest quantity on one line: beyond it an order is a typo or abuse, never a real purchase. */
export const maxItemQuantity = 10_000;
/** Most lines on one order, so a single request cannot produce an unbounded event. */
export const maxOrderLines = 100;

// Payload schemas: the JSON bodies the REST edge accepts. Strict, so a misspelt field is an error, not ignored.

export const orderItemInputSchema = z.strictObject({
  productId: z.uuid(),
  quantity: z.int().min(1).max(maxItemQuantity),
});

const orderItemsInputSchema = z.array(orderItemInputSchema).min(1).max(maxOrderLines);

export const createOrderPayloadSchema = z.strictObject({
  orderId: z.uuid().optional(),
  customerId: z.uuid(),
  items: orderItemsInputSchema,
});

export const updateOrderItemsPayloadSchema = z.strictObject({
  items: orderItemsInputSchema,
  reason: nonBlankText(500).optional(),
});

export const confirmOrderPayloadSchema = z.strictObject({});

export const shipOrderPayloadSchema = z.strictObject({
  trackingNumber: nonBlankText(100),
  carrier: nonBlankText(100),
});

export const deliverOrderPayloadSchema = z.strictObject({
  signature: nonBlankText(200).optional(),
});

export const cancelOrderPayloadSchema = z.strictObject({
  reason: nonBlankText(500).optional(),
  cancelledBy: nonBlankText(200).optional(),
});

export type CreateOrderPayload = z.output<typeof createOrderPayloadSchema>;
export type UpdateOrderItemsPayload = z.output<typeof updateOrderItemsPayloadSchema>;
export type ShipOrderPayload = z.output<typeof shipOrderPayloadSchema>;
export type DeliverOrderPayload = z.output<typeof deliverOrderPayloadSchema>;
export type CancelOrderPayload = z.output<typeof cancelOrderPayloadSchema>;

/**
 * The customer as the application layer found it before deciding (`null`: no such customer). Reading another
 * aggregate is I/O, so it happens outside and the decider stays pure.
 */
export interface OrderingCustomer {
  readonly status: CustomerStatus;
}

/** The order id is settled by the application layer (given by the client, or derived from the idempotency key). */
export type CreateOrder = Command<
  'CreateOrder',
  Omit<CreateOrderPayload, 'orderId'> & { readonly orderId: string; readonly customer: OrderingCustomer | null }
>;
export type UpdateOrderItems = Command<'UpdateItems', UpdateOrderItemsPayload>;
export type ConfirmOrder = Command<'ConfirmOrder', NoData>;
export type ShipOrder = Command<'ShipOrder', ShipOrderPayload>;
export type DeliverOrder = Command<'DeliverOrder', DeliverOrderPayload>;
export type CancelOrder = Command<'CancelOrder', CancelOrderPayload>;

export type OrderCommand = CreateOrder | UpdateOrderItems | ConfirmOrder | ShipOrder | DeliverOrder | CancelOrder;
