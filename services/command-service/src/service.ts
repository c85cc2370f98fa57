import { AggregateStateCache } from '@scylla-es/es-core';
import { CqlEventStore, CqlSnapshotStore, IdempotencyStore } from '@scylla-es/es-core/cql';
import {
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceWiring,
  type StartServiceOptions,
} from '@scylla-es/es-core/service';
import { migrateSchema } from '@scylla-es/schema';
import { AggregateQueries } from './application/aggregate-queries';
import { createAggregates } from './application/aggregates';
import { createCommandMetrics } from './application/command-metrics';
import { CommandRunner } from './application/command-runner';
import { CustomerCommands, customerHoldsEmail } from './application/customer-commands';
import { CustomerEmails } from './application/customer-emails';
import { IdempotentCommands } from './application/idempotent-commands';
import { OrderCommands } from './application/order-commands';
import { loadCommandServiceConfig, type CommandServiceConfig } from './config';
import { mountCommandServiceRoutes } from './http/routes';

export const SERVICE_NAME = 'command-service';

export type RunningCommandService = RunningService<CommandServiceConfig, object>;

/** The command-service's own parts on the shared start-up: stores, command handling and its routes. */
function wireCommandService({ config, client, logger, metrics }: ServiceContext<CommandServiceConfig>): ServiceWiring<object> {
  const keyspace = config.SCYLLA_KEYSPACE;
  const aggregates = createAggregates(config.SNAPSHOT_EVERY);
  const events = new CqlEventStore(client, keyspace, aggregates.upcastingFor);
  const commandMetrics = createCommandMetrics(metrics);
  const runner = new CommandRunner({
    events,
    snapshots: new CqlSnapshotStore(client, keyspace),
    states: { cache: new AggregateStateCache(config.AGGREGATE_CACHE_SIZE), mode: config.AGGREGATE_CACHE_MODE },
    metrics: commandMetrics,
    logger,
    maxAttempts: config.COMMAND_MAX_ATTEMPTS,
  });
  const emails = new CustomerEmails(client, keyspace, customerHoldsEmail(runner, aggregates), logger);
  const idempotency = new IdempotentCommands({
    store: new IdempotencyStore(client, keyspace),
    events,
    metrics: commandMetrics,
    logger,
    staleAfterMs: config.IDEMPOTENCY_STALE_AFTER_MS,
  });
  const routes = {
    aggregates,
    orders: new OrderCommands(runner, aggregates),
    customers: new CustomerCommands(runner, aggregates, emails),
    queries: new AggregateQueries(runner, events),
    idempotency,
  };
  return { routes: (app, context) => mountCommandServiceRoutes(app, context.auth, routes), exposed: {} };
}

/**
 * Reads the configuration from `env`, connects, brings the schema up to date (several instances may do this
 * at once: the migration lock serialises them), and serves. Throws when the configuration is invalid or the
 * database cannot be reached at start-up.
 */
export function startCommandService(
  env: NodeJS.ProcessEnv = process.env,
  options: StartServiceOptions = {},
): Promise<RunningCommandService> {
  return startService(
    { name: SERVICE_NAME, loadConfig: loadCommandServiceConfig, migrate: migrateSchema, wire: wireCommandService },
    env,
    options,
  );
}
