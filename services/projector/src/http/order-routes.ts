import { decodeCursor, encodeCursor, etagFor, parseParams, parseQuery, sendJson, type BearerAuth } from '@scylla-es/es-core/service';
import type { Express } from 'express';
import { orderTotals, type OrderView } from '../orders/order-view';
import type { QueryParts } from './query-parts';
import { OrderNotProjectedError } from './errors';
import { listEtag } from './list-etag';
import { readAtLeast } from './min-version';
import { idParams, ordersByStatusQuery, singleQuery, statusOrderPosition } from './schemas';

/** `GET /orders/:id` and `GET /orders?status=…`, read scope. */
export function mountOrderRoutes(app: Express, auth: BearerAuth, parts: QueryParts): void {
  app.get('/orders/:id', auth.requireScope('read'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { minVersion } = parseQuery(singleQuery, req);
    const view = await readAtLeast(`order ${id}`, async () => (await parts.active.orders()).load(id), minVersion, parts.minVersionWaitMs);
    if (!view) throw new OrderNotProjectedError(id);
    res.setHeader('ETag', etagFor(view.version));
    sendJson(res, 200, orderBody(view));
  });

  app.get('/orders', auth.requireScope('read'), async (req, res) => {
    const { status, limit, cursor } = parseQuery(ordersByStatusQuery, req);
    const scope = `status:${status}`;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, scope, statusOrderPosition);
    const page = await (await parts.active.listings()).ordersInStatus(
      status,
      after && { enteredAt: new Date(after.enteredAt), orderId: after.orderId },
      limit,
    );
    const next = page.next ? encodeCursor(scope, { enteredAt: page.next.enteredAt.getTime(), orderId: page.next.orderId }) : null;
    res.setHeader('ETag', listEtag(page.entries.map((entry) => ({ id: entry.orderId, version: entry.version })), next));
    sendJson(res, 200, { status, orders: page.entries, next });
  });
}

function orderBody({ order, version, lastEventAt, statusEnteredAt }: OrderView): object {
  return { ...order, ...orderTotals(order), statusEnteredAt, lastEventAt, version };
}
