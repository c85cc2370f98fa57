import type { BearerAuth } from '@scylla-es/es-core/service';
import type { Express } from 'express';
import { mountCustomerRoutes } from './customer-routes';
import { mountOrderRoutes } from './order-routes';
import type { QueryParts } from './query-parts';

export type { QueryParts } from './query-parts';

/** Every route of the query API, each behind the read scope. */
export function mountQueryRoutes(app: Express, auth: BearerAuth, parts: QueryParts): void {
  mountOrderRoutes(app, auth, parts);
  mountCustomerRoutes(app, auth, parts);
}
