export const orderAggregateType = 'Order';

export const orderStatuses = ['Created', 'Confirmed', 'Shipped', 'Delivered', 'Cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * An order rebuilt from its events. Every field, the timestamps included, comes from the events, so replaying
 * the same history always gives the same order. The stream version is not kept here: the store knows it, and the
 * command handler passes it to the conditional append.
 */
export interface Order {
  readonly id: string;
  readonly customerId: string;
  readonly items: readonly OrderItem[];
  readonly status: OrderStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly trackingNumber?: string;
  readonly carrier?: string;
  readonly signature?: string;
  readonly cancellationReason?: string;
  readonly cancelledBy?: string;
}

/** `null` until `OrderCreated`: the order does not exist yet. */
export type OrderState = Order | null;

export const initialOrderState = (): OrderState => null;
