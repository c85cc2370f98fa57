import { decodeCursor, encodeCursor, etagFor, parseParams, parseQuery, sendJson, type BearerAuth } from '@scylla-es/es-core/service';
import type { Express } from 'express';
import type { QueryParts } from './query-parts';
import { CustomerNotProjectedError } from './errors';
import { listEtag } from './list-etag';
import { readAtLeast } from './min-version';
import { customerOrderPosition, customerOrdersQuery, idParams, singleQuery } from './schemas';

/** `GET /customers/:id` and `GET /customers/:id/orders`, read scope. */
export function mountCustomerRoutes(app: Express, auth: BearerAuth, parts: QueryParts): void {
  app.get('/customers/:id', auth.requireScope('read'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { minVersion } = parseQuery(singleQuery, req);
    const found = await readAtLeast(
      `customer ${id}`,
      async () => {
        const loaded = await (await parts.active.customers()).loadWithOrders(id);
        return loaded && { ...loaded, version: loaded.view.version };
      },
      minVersion,
      parts.minVersionWaitMs,
    );
    if (!found) throw new CustomerNotProjectedError(id);
    res.setHeader('ETag', etagFor(found.version));
    sendJson(res, 200, { ...found.view.customer, orderCount: found.orderCount, lastEventAt: found.view.lastEventAt, version: found.version });
  });

  // Orders and customers come from different topics, so an order may be projected before its customer: a
  // listing with orders is answered whether or not the customer is known yet; an empty one of an unknown id is a 404.
  app.get('/customers/:id/orders', auth.requireScope('read'), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const { limit, cursor } = parseQuery(customerOrdersQuery, req);
    const scope = `customer:${id}`;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, scope, customerOrderPosition);
    const page = await (await parts.active.listings()).ordersOfCustomer(id, after && { createdAt: new Date(after.createdAt), orderId: after.orderId }, limit);
    if (after === undefined && page.entries.length === 0 && !(await (await parts.active.customers()).load(id))) throw new CustomerNotProjectedError(id);
    const next = page.next ? encodeCursor(scope, { createdAt: page.next.createdAt.getTime(), orderId: page.next.orderId }) : null;
    res.setHeader('ETag', listEtag(page.entries.map((entry) => ({ id: entry.orderId, version: entry.version })), next));
    sendJson(res, 200, { customerId: id, orders: page.entries, next });
  });
}
