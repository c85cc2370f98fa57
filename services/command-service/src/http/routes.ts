import type { Express } from 'express';
import type { CommandHandler } from '@scylla-es/es-core';
import type { BearerAuth } from '@scylla-es/es-core/service';
import type { AggregateQueries } from '../application/aggregate-queries';
import type { Aggregates } from '../application/aggregates';
import type { CommandTargets } from '../application/command-targets';
import type { CustomerEmails } from '../application/customer-emails';
import type { IdempotentCommands } from '../application/idempotent-commands';
import { customerRoutes } from './customer-routes';
import { openApiDocument, openApiHandler } from './openapi';
import { orderRoutes } from './order-routes';
import { mountRouteSpecs, type RouteSpec } from './route-spec';

/** What the routes run on: one command handler for every request, and what the use cases need besides. */
export interface CommandServiceParts {
  readonly handler: CommandHandler;
  readonly aggregates: Aggregates;
  readonly targets: CommandTargets;
  readonly emails: CustomerEmails;
  readonly queries: AggregateQueries;
  readonly idempotency: IdempotentCommands;
}

export const SERVICE_VERSION = '0.1.0';

export function commandServiceRouteSpecs(parts: CommandServiceParts): RouteSpec[] {
  return [...orderRoutes(parts), ...customerRoutes(parts)];
}

/** Every endpoint of the service plus its OpenAPI document, for createHttpApp's route callback. */
export function mountCommandServiceRoutes(app: Express, auth: BearerAuth, parts: CommandServiceParts): void {
  const specs = commandServiceRouteSpecs(parts);
  app.get('/openapi.json', openApiHandler(openApiDocument(specs, { title: 'command-service', version: SERVICE_VERSION })));
  mountRouteSpecs(app, auth, specs);
}
