import { decodeCursor, encodeCursor, parseBody, parseParams, parseQuery, principalOf, sendJson, type BearerAuth } from '@scylla-es/es-core/service';
import type { Express, Response } from 'express';
import { createHash } from 'node:crypto';
import { recordDiscard } from '../messages/dlq-message';
import type { BulkReplay } from '../replay/bulk-replay';
import { MessageNotFoundError } from '../replay/replay-errors';
import type { RangeRepublisher } from '../replay/range-republisher';
import type { Replayer } from '../replay/replayer';
import type { Republisher } from '../replay/republisher';
import type { MessageFilter } from '../store/index-facets';
import type { MessageListing } from '../store/message-listing';
import type { MessageLocks } from '../store/message-locks';
import type { StatsCache } from '../store/message-stats';
import type { MessageStore } from '../store/message-store';
import type { DlqMetrics } from '../dlq-metrics';
import { messageView, statsView, summaryView } from './message-views';
import { bulkReplayBody, discardBody, idParams, listPosition, listQuery, replayBody, republishBody, republishPosition } from './schemas';

/** What the routes read from and act through. */
export interface DlqParts {
  readonly store: MessageStore;
  readonly locks: MessageLocks;
  readonly listing: MessageListing;
  readonly stats: StatsCache;
  readonly replayer: Replayer;
  readonly bulkReplay: BulkReplay;
  readonly republisher: Republisher;
  readonly rangeRepublisher: RangeRepublisher;
  readonly metrics: DlqMetrics;
  readonly listScanBudget: number;
  readonly bulkReplayMax: number;
  readonly republishMax: number;
}

/** The caller's name for audit trails; the routes below all sit behind requireScope, which sets it. */
const callerOf = (res: Response): string => principalOf(res)?.name ?? 'unknown';

/** A cursor belongs to one filter: its scope is a digest of the filter's canonical form. */
function scopeOf(filter: MessageFilter | Readonly<Record<string, string | Date>>): string {
  const canonical = JSON.stringify(Object.entries(filter).filter(([, value]) => value !== undefined).map(([key, value]) => [key, value instanceof Date ? value.getTime() : value]).sort());
  return `dlq:${createHash('sha256').update(canonical).digest('base64url').slice(0, 16)}`;
}

/** The dlq-service's REST API: reads need `read`, changes `admin`. */
export function mountDlqRoutes(app: Express, auth: BearerAuth, parts: DlqParts): void {
  app.get('/dlq/messages', auth.requireScope('read'), async (req, res) => {
    const { limit, cursor, ...filter } = parseQuery(listQuery, req);
    const scope = scopeOf(filter);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, scope, listPosition);
    const page = await parts.listing.list({
      filter,
      after: after && { failedAt: new Date(after.failedAt), id: after.id },
      limit,
      scanBudget: parts.listScanBudget,
    });
    const next = page.next ? encodeCursor(scope, { failedAt: page.next.failedAt.getTime(), id: page.next.id }) : null;
    sendJson(res, 200, { messages: page.messages.map(summaryView), next });
  });

  app.get('/dlq/messages/:id', auth.requireScope('read'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const message = await parts.store.get(id);
    if (!message) throw new MessageNotFoundError(id);
    sendJson(res, 200, messageView(message, await parts.store.audit(id)));
  });

  app.get('/dlq/stats', auth.requireScope('read'), async (_req, res) => {
    sendJson(res, 200, statsView(await parts.stats.get()));
  });

  app.post('/dlq/messages/:id/replay', auth.requireScope('admin'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { force } = parseBody(replayBody, req) ?? { force: false };
    const message = await parts.replayer.replay(id, { by: callerOf(res), force });
    sendJson(res, 200, messageView(message, await parts.store.audit(id)));
  });

  app.post('/dlq/messages/:id/discard', auth.requireScope('admin'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { reason } = parseBody(discardBody, req);
    const by = callerOf(res);
    const message = await parts.locks.withLock(id, async () => {
      const current = await parts.store.get(id);
      if (!current) throw new MessageNotFoundError(id);
      const change = recordDiscard(current, { by, at: new Date() }, reason);
      await parts.store.write(current, change);
      parts.metrics.discarded(current.source);
      return change.message;
    });
    sendJson(res, 200, messageView(message, await parts.store.audit(id)));
  });

  app.post('/dlq/replay', auth.requireScope('admin'), async (req, res) => {
    const { filter, max, dryRun } = parseBody(bulkReplayBody(parts.bulkReplayMax), req);
    const { status: _parkedOnly, ...selection } = filter;
    sendJson(res, 200, await parts.bulkReplay.run({ filter: selection, max, dryRun, by: callerOf(res) }));
  });

  app.post('/dlq/republish', auth.requireScope('admin'), async (req, res) => {
    const body = parseBody(republishBody(parts.republishMax), req);
    if (!('from' in body)) {
      sendJson(res, 200, await parts.republisher.republish({ ...body, by: callerOf(res) }));
      return;
    }
    const { cursor, ...range } = body;
    // A cursor goes on with the same type and time range; `max` may change from call to call.
    const scope = scopeOf({ aggregateType: range.aggregateType, from: range.from, to: range.to });
    const resume = cursor === undefined ? undefined : decodeCursor(cursor, scope, republishPosition);
    const report = await parts.rangeRepublisher.republish({ ...range, ...(resume ? { resume } : {}), by: callerOf(res) });
    const { next, stoppedBy, ...counts } = report;
    sendJson(res, 200, {
      ...counts,
      stoppedBy: stoppedBy ?? null,
      next: next ? encodeCursor(scope, { republishId: next.republishId, afterToken: next.afterToken.toString() }) : null,
    });
  });
}
