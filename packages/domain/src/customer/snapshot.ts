import { z } from 'zod';
import { timestampSchema } from '../shared/schemas';
import { customerStatuses, customerTiers, paymentMethodTypes, type CustomerState } from './state';

/** Bump whenever `Customer`'s shape changes: snapshots of another version are then ignored and it is replayed. */
export const customerStateVersion = 1;

/** Reads a customer back from snapshot JSON, restoring its dates (es-core's SnapshotPolicy.schema). */
export const customerSnapshotSchema: z.ZodType<CustomerState> = z
  .object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().optional(),
    status: z.enum(customerStatuses),
    tier: z.enum(customerTiers),
    addresses: z.array(
      z.object({
        id: z.uuid(),
        street: z.string(),
        city: z.string(),
        state: z.string(),
        postalCode: z.string(),
        country: z.string(),
        isDefault: z.boolean(),
      }),
    ),
    paymentMethods: z.array(
      z.object({ id: z.uuid(), type: z.enum(paymentMethodTypes), lastFour: z.string(), isDefault: z.boolean() }),
    ),
    registeredAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .nullable();
