import type { DomainEvent } from '@scylla-es/es-core';
import { z } from 'zod';

/**
 * A point in time inside event data. Deciders emit `Date`s; the store writes them as ISO-8601 strings (JSON), so
 * reading back must accept both and always yield a `Date`. Offsets are accepted because legacy rows written by
 * other serializers may carry `+00:00` instead of `Z`.
 */
export const timestampSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((isoString) => new Date(isoString)),
]);

/** Free text from a client: trimmed, non-blank after trimming, and bounded so one field cannot bloat an event. */
export const nonBlankText = (maxLength: number) => z.string().trim().min(1).max(maxLength);

/** A domain event whose data type is the output of its zod schema, so the type and the schema cannot drift apart. */
export type EventFromSchema<Type extends string, Schema extends z.ZodType<object>> = DomainEvent<
  Type,
  z.output<Schema>
>;
