import type { BearerAuth } from '@scylla-es/es-core/service';
import type { Express } from 'express';
import { mountCustomerRoutes, type CustomerRoutesParts } from './customer-routes';
import { mountOrderRoutes, type OrderRoutesParts } from './order-routes';

export type QueryRoutesParts = OrderRoutesParts & CustomerRoutesParts;

/** Every route of the query API, each behind the read scope. */
export function mountQueryRoutes(app: Express, auth: BearerAuth, parts: QueryRoutesParts): void {
  mountOrderRoutes(app, auth, parts);
  mountCustomerRoutes(app, auth, parts);
}
