import { decodeCursor, encodeCursor, parseQuery, sendJson, type BearerAuth } from '@scylla-es/es-core/service';
import type { Express } from 'express';
import { z } from 'zod';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../http/schemas';
import type { ParkedListing } from './parked-listing';

const parkedQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(2_000).optional(),
});

const parkedPosition = z.object({
  topic: z.string().min(1),
  partition: z.int().min(0),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
});

const CURSOR_SCOPE = 'parked';

/** `GET /admin/parked?limit=&cursor=`, admin scope: the parked aggregates (docs/parking-and-replay.md). */
export function mountParkedRoutes(app: Express, auth: BearerAuth, listing: ParkedListing): void {
  app.get('/admin/parked', auth.requireScope('admin'), async (req, res) => {
    const { limit, cursor } = parseQuery(parkedQuery, req);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, CURSOR_SCOPE, parkedPosition);
    const page = await listing.page(after, limit);
    sendJson(res, 200, {
      parked: page.entries.map((entry) => ({
        aggregateType: entry.aggregateType,
        aggregateId: entry.aggregateId,
        topic: entry.topic,
        partition: entry.partition,
        headSequence: entry.sequence,
        headEventId: entry.eventId,
        held: entry.held,
        attempts: entry.attempts,
        lastError: { class: entry.errorClass, message: entry.errorMessage },
        parkedAt: entry.parkedAt,
      })),
      next: page.next ? encodeCursor(CURSOR_SCOPE, page.next) : null,
    });
  });
}
