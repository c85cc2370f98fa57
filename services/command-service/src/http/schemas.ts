import { z } from 'zod';

/** Aggregate ids are UUIDs, compared in lower case: `ABC…` and `abc…` name the same stream. */
export const uuidParam = z.uuid().transform((value) => value.toLowerCase());

export const idParams = z.object({ id: uuidParam });
export const addressParams = z.object({ id: uuidParam, addressId: uuidParam });
export const paymentMethodParams = z.object({ id: uuidParam, paymentMethodId: uuidParam });

const positiveIntegerText = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'a positive whole number')
  .transform(Number);

export const MAX_EVENTS_PAGE = 1000;
export const DEFAULT_EVENTS_PAGE = 100;

/** `?version=N` (state right after event N) or `?asOf=ISO-8601` (state at that instant), not both. */
export const stateQuery = z
  .object({
    version: positiveIntegerText.optional(),
    asOf: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .optional(),
  })
  .refine((query) => query.version === undefined || query.asOf === undefined, {
    message: 'give version or asOf, not both',
  });

/** `?from=` sequence (default 1) and `?limit=` page size (default 100, at most 1000). */
export const eventsQuery = z.object({
  from: positiveIntegerText.optional(),
  limit: positiveIntegerText
    .pipe(z.number().max(MAX_EVENTS_PAGE))
    .optional(),
});

/** RFC 9110 visible ASCII (plus inner spaces), 1 to 200 characters; the key is also the events' command id. */
export const idempotencyKeyHeader = z
  .string()
  .regex(/^[\x21-\x7E](?:[\x20-\x7E]{0,198}[\x21-\x7E])?$/, '1 to 200 printable ASCII characters');

export const ifMatchHeader = z.string().describe('The aggregate version the command expects, as an entity tag: "7"');

export const correlationIdHeader = z
  .string()
  .max(128)
  .describe('Taken when it is 1–128 characters of A-Z a-z 0-9 . _ : @ / + = -, otherwise replaced; always echoed');

export const traceparentHeader = z.string().describe('W3C trace context; stored in the events’ metadata');

export const commandResultSchema = z.object({
  id: z.uuid(),
  version: z.int().min(0),
});

export const problemSchema = z.looseObject({
  type: z.url(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  instance: z.string().optional(),
  correlationId: z.string().optional(),
});

export const eventViewSchema = z.object({
  eventId: z.uuid(),
  type: z.string(),
  schemaVersion: z.int(),
  sequence: z.int(),
  occurredAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});

export const eventPageSchema = z.object({
  aggregateId: z.uuid(),
  events: z.array(eventViewSchema),
  next: z.int().nullable().describe('The `from` of the next page; null on the last page'),
});
