import { z } from 'zod';
import { timestampSchema } from '../shared/schemas';
import { orderStatuses, type OrderState } from './state';

/** Bump whenever `Order`'s shape changes: snapshots of another version are then ignored and the order is replayed. */
export const orderStateVersion = 1;

/** Reads an order back from snapshot JSON, restoring its dates (es-core's SnapshotPolicy.schema). */
export const orderSnapshotSchema: z.ZodType<OrderState> = z
  .object({
    id: z.uuid(),
    customerId: z.uuid(),
    items: z.array(z.object({ productId: z.uuid(), quantity: z.int().positive() })),
    status: z.enum(orderStatuses),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    trackingNumber: z.string().optional(),
    carrier: z.string().optional(),
    signature: z.string().optional(),
    cancellationReason: z.string().optional(),
    cancelledBy: z.string().optional(),
  })
  .nullable();
