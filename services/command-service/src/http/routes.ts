import type { Express } from 'express';
import type { BearerAuth } from '@scylla-es/es-core/service';
import type { AggregateQueries } from '../application/aggregate-queries';
import type { Aggregates } from '../application/aggregates';
import type { CustomerCommands } from '../application/customer-commands';
import type { IdempotentCommands } from '../application/idempotent-commands';
import type { OrderCommands } from '../application/order-commands';
import { customerRoutes } from './customer-routes';
import { openApiDocument, openApiHandler } from './openapi';
import { orderRoutes } from './order-routes';
import { mountRouteSpecs, type RouteSpec } from './route-spec';

export interface CommandServiceRoutes {
  readonly aggregates: Aggregates;
  readonly orders: OrderCommands;
  readonly customers: CustomerCommands;
  readonly queries: AggregateQueries;
  readonly idempotency: IdempotentCommands;
}

export const SERVICE_VERSION = '0.1.0';

export function commandServiceRouteSpecs(deps: CommandServiceRoutes): RouteSpec[] {
  const { aggregates, orders, customers, queries, idempotency } = deps;
  return [
    ...orderRoutes({ orders, queries, definition: aggregates.order, idempotency }),
    ...customerRoutes({ customers, queries, definition: aggregates.customer, idempotency }),
  ];
}

/** Every endpoint of the service plus its OpenAPI document, for createHttpApp's route callback. */
export function mountCommandServiceRoutes(app: Express, auth: BearerAuth, deps: CommandServiceRoutes): void {
  const specs = commandServiceRouteSpecs(deps);
  app.get('/openapi.json', openApiHandler(openApiDocument(specs, { title: 'command-service', version: SERVICE_VERSION })));
  mountRouteSpecs(app, auth, specs);
}
