import { orderStatuses } from '@scylla-es/domain';
import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Order and customer ids are UUIDs on the command side: anything else cannot name one. */
export const idParams = z.strictObject({ id: z.uuid() });

const minVersion = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional();
const limit = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
const cursor = z.string().min(1).max(1_000).optional();

/** `?minVersion=N`: the version the command-service answered; the read waits (bounded) until it is reflected. */
export const singleQuery = z.strictObject({ minVersion });

export const customerOrdersQuery = z.strictObject({ limit, cursor });

export const ordersByStatusQuery = z.strictObject({ status: z.enum(orderStatuses), limit, cursor });

/** Cursor positions: times as epoch milliseconds, ids as the UUIDs they are. */
export const customerOrderPosition = z.object({ createdAt: z.int().min(0), orderId: z.uuid() });
export const statusOrderPosition = z.object({ enteredAt: z.int().min(0), orderId: z.uuid() });
