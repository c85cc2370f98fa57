import { AggregateStateCache, CommandHandler } from '@scylla-es/es-core';
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
import { commandObserver, createCommandMetrics } from './application/command-metrics';
import { commandTargetsOf } from './application/command-targets';
import { customerHoldsEmail } from './application/customer-use-cases';
import { CustomerEmails } from './application/customer-emails';
import { IdempotentCommands } from './application/idempotent-commands';
import { loadCommandServiceConfig, type CommandServiceConfig } from './config';
import { mountCommandServiceRoutes, type CommandServiceParts } from './http/routes';

export const SERVICE_NAME = 'command-service';

export type RunningCommandService = RunningService<CommandServiceConfig, object>;

/** The command-service's own parts on the shared start-up: stores, command handling and its routes. */
function wireCommandService({ config, client, logger, metrics }: ServiceContext<CommandServiceConfig>): ServiceWiring<object> {
  const keyspace = config.SCYLLA_KEYSPACE;
  const aggregates = createAggregates(config.SNAPSHOT_EVERY);
  const events = new CqlEventStore(client, keyspace, aggregates.upcastingFor);
  const commandMetrics = createCommandMetrics(metrics);
  // One handler for every request: its held states are shared by commands and queries.
  const handler = new CommandHandler(events, new CqlSnapshotStore(client, keyspace), {
    maxAttempts: config.COMMAND_MAX_ATTEMPTS,
    states: { cache: new AggregateStateCache(config.AGGREGATE_CACHE_SIZE), mode: config.AGGREGATE_CACHE_MODE },
    observer: commandObserver(commandMetrics, logger),
  });
  const parts: CommandServiceParts = {
    handler,
    aggregates,
    targets: commandTargetsOf(aggregates),
    emails: new CustomerEmails(client, keyspace, customerHoldsEmail(handler, aggregates), logger),
    queries: new AggregateQueries(handler, events),
    idempotency: new IdempotentCommands({
      store: new IdempotencyStore(client, keyspace),
      events,
      metrics: commandMetrics,
      logger,
      staleAfterMs: config.IDEMPOTENCY_STALE_AFTER_MS,
    }),
  };
  return { routes: (app, context) => mountCommandServiceRoutes(app, context.auth, parts), exposed: {} };
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
