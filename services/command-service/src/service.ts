import { AggregateStateCache, createLogger, type Logger } from '@scylla-es/es-core';
import {
  CqlEventStore,
  CqlSnapshotStore,
  IdempotencyStore,
  createCqlClient,
  createCqlMetrics,
  cqlReadinessCheck,
} from '@scylla-es/es-core/cql';
import {
  HealthRegistry,
  createBearerAuth,
  listen,
  createGracefulShutdown,
  createHttpApp,
  createMetrics,
  type Metrics,
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

export interface StartOptions {
  /** Handle SIGTERM/SIGINT with a graceful shutdown that exits the process (main.ts); off for embedding. */
  readonly handleSignals?: boolean;
  readonly logger?: Logger;
  /** Default process metrics are process-wide; tests that start several services switch them off. */
  readonly collectDefaultMetrics?: boolean;
}

export interface RunningCommandService {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly config: CommandServiceConfig;
  readonly metrics: Metrics;
  /** Graceful: not ready → stop accepting and finish in-flight requests → close the CQL client. */
  close(): Promise<void>;
}

/**
 * Reads the configuration from `env`, connects, brings the schema up to date (several instances may do this
 * at once: the migration lock serialises them), and serves. Throws when the configuration is invalid or the
 * database cannot be reached at start-up.
 */
export async function startCommandService(
  env: NodeJS.ProcessEnv = process.env,
  options: StartOptions = {},
): Promise<RunningCommandService> {
  const config = loadCommandServiceConfig(env);
  const logger = options.logger ?? createLogger(SERVICE_NAME, config.LOG_LEVEL);
  const metrics = createMetrics(SERVICE_NAME, { collectDefaultMetrics: options.collectDefaultMetrics ?? true });
  const client = createCqlClient(config, { metrics: createCqlMetrics(metrics.registry) });
  try {
    await client.connect();
    await migrateSchema(client, config, logger);
  } catch (error) {
    await client.shutdown().catch(() => undefined);
    throw error;
  }

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

  const health = new HealthRegistry(logger).register('database', cqlReadinessCheck(client));
  const auth = createBearerAuth({ realm: SERVICE_NAME, tokens: config.AUTH_TOKENS });
  const app = createHttpApp(
    { service: SERVICE_NAME, logger, metrics, health, auth, bodyLimit: config.HTTP_BODY_LIMIT },
    (expressApp, context) => mountCommandServiceRoutes(expressApp, context.auth, routes),
  );

  const { server, port } = await listen(app, config.PORT);
  logger.info('command-service listening', { port, keyspace });

  const shutdown = createGracefulShutdown({
    logger,
    health,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    ...(options.handleSignals ? {} : { exit: () => undefined }),
  })
    .addServer(server)
    .addStep('close CQL client', () => client.shutdown());
  if (options.handleSignals) shutdown.install();

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    metrics,
    close: async () => {
      await shutdown.shutdown('close');
    },
  };
}
