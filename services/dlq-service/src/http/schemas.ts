import { MAX_TOKEN, MIN_TOKEN } from '@scylla-es/es-core/cql';
import { z } from 'zod';
import { DLQ_STATUSES } from '../messages/dlq-message';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const name = z.string().min(1).max(500);
const time = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

/** The attributes a listing and a bulk replay select by (`from` inclusive, `to` exclusive, on the last failure). */
const filterShape = {
  source: name.optional(),
  topic: name.optional(),
  errorClass: name.optional(),
  eventType: name.optional(),
  aggregateId: name.optional(),
  from: time.optional(),
  to: time.optional(),
};

const ordered = <T extends { from?: Date | undefined; to?: Date | undefined }>(filter: T) =>
  filter.from === undefined || filter.to === undefined || filter.from < filter.to;
const orderedMessage = { message: '`from` must be before `to`', path: ['from'] };

export const idParams = z.strictObject({ id: z.uuid() });

export const listQuery = z
  .strictObject({
    ...filterShape,
    status: z.enum(DLQ_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
    cursor: z.string().min(1).max(1_000).optional(),
  })
  .refine(ordered, orderedMessage);

/** Cursor positions: the last failure as epoch milliseconds, the id as the UUID it is. */
export const listPosition = z.object({ failedAt: z.int().min(0), id: z.uuid() });

/** `{force}` is optional, and so is the body. */
export const replayBody = z.strictObject({ force: z.boolean().default(false) }).optional();

export const discardBody = z.strictObject({ reason: z.string().trim().min(1).max(1_000) });

export const bulkReplayBody = (maxAllowed: number) =>
  z.strictObject({
    // A bulk replay takes parked messages only: a status filter would either say so again or contradict it.
    filter: z.strictObject({ ...filterShape, status: z.literal('parked').optional() }).refine(ordered, orderedMessage).default({}),
    max: z.number().int().min(1).max(maxAllowed),
    dryRun: z.boolean().default(false),
  });

const sequence = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** One aggregate (optionally a range of its sequences), or one aggregate type over a time range, bounded by `max` events. */
export const republishBody = (maxAllowed: number) =>
  z.union([
    z
      .strictObject({ aggregateType: name, aggregateId: name, fromSequence: sequence.optional(), toSequence: sequence.optional() })
      .refine((body) => body.fromSequence === undefined || body.toSequence === undefined || body.fromSequence <= body.toSequence, {
        message: '`fromSequence` must not be after `toSequence`',
        path: ['fromSequence'],
      }),
    z
      .strictObject({
        aggregateType: name,
        from: time,
        to: time,
        max: z.number().int().min(1).max(maxAllowed).default(maxAllowed),
        cursor: z.string().min(1).max(1_000).optional(),
      })
      .refine(ordered, orderedMessage),
  ]);

/** Cursor positions of a time-range republish: its id, and the last token handled, as decimal text. */
export const republishPosition = z.object({
  republishId: z.uuid(),
  afterToken: z
    .string()
    .regex(/^-?\d{1,19}$/)
    .transform((text) => BigInt(text))
    .refine((token) => token >= MIN_TOKEN && token <= MAX_TOKEN),
});
