import type { Client } from 'cassandra-driver';
import type { Express } from 'express';
import { createLogger, type Logger } from '../../core/logging/logger';
import { createCqlClient } from '../../cql/client';
import type { CqlConfig } from '../../cql/cql-config';
import { createLwtCounter } from '../../cql/cql-lwt-counter';
import { createCqlMetrics } from '../../cql/cql-metrics';
import { cqlReadinessCheck } from '../../cql/cql-readiness';
import { createHttpApp, type MountRoutes } from '../http/app';
import { createBearerAuth } from '../http/auth';
import { serverLimitsOf, type HttpConfig } from '../http/http-config';
import { listen } from '../http/listen';
import { HealthRegistry } from '../observability/health';
import { createMetrics, type Metrics } from '../observability/metrics';
import { createGracefulShutdown, type ShutdownStep } from '../observability/shutdown';

/** Every service talks to the database and serves HTTP; its own settings come on top. */
export type ServiceConfig = CqlConfig & HttpConfig;

export interface StartServiceOptions {
  /** Handle SIGTERM/SIGINT with a graceful shutdown that exits the process (main.ts); off for embedding. */
  readonly handleSignals?: boolean;
  readonly logger?: Logger;
  /** Default process metrics are process-wide; tests that start several services switch them off. */
  readonly collectDefaultMetrics?: boolean;
}

/** What a service's wiring gets: everything started before it, connected and migrated. */
export interface ServiceContext<Config extends ServiceConfig> {
  readonly name: string;
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly client: Client;
  /** Readiness: the database is registered; add the service's own engines and progress checks. */
  readonly health: HealthRegistry;
  /**
   * Registers what undoes a part just started (disconnect a producer, stop a reader). Steps run last-registered
   * first, after the HTTP server stopped accepting and before the database client closes, so a part stops
   * before what it depends on. They also run when start-up fails after they were registered.
   */
  stopWith(name: string, run: ShutdownStep['run']): void;
}

/** A service's own wiring: its routes, the work it starts once it serves, and what it exposes to callers. */
export interface ServiceWiring<Exposed extends object> {
  readonly routes?: MountRoutes;
  /** Starts background work (a CDC reader, a Kafka consumer) once the server listens. */
  readonly start?: () => void;
  /** Merged into the running service handed back to main.ts and tests (e.g. a status getter). */
  readonly exposed: Exposed;
}

export interface ServiceDefinition<Config extends ServiceConfig, Options extends StartServiceOptions, Exposed extends object> {
  readonly name: string;
  /** Parses the environment once; a ConfigurationError names every bad variable before anything connects. */
  readonly loadConfig: (env: NodeJS.ProcessEnv) => Config;
  /** Brings the schema up to date; several instances may start at once, so it must serialise itself. */
  readonly migrate: (client: Client, config: Config, logger: Logger) => Promise<unknown>;
  readonly wire: (context: ServiceContext<Config>, options: Options) => Promise<ServiceWiring<Exposed>> | ServiceWiring<Exposed>;
}

export interface RunningServiceBase<Config extends ServiceConfig> {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly config: Config;
  readonly metrics: Metrics;
  /** The HTTP app it serves: its router stack is the route table (see the testing room's routesOf). */
  readonly app: Express;
  /** Graceful: not ready → stop accepting and finish in-flight requests → the registered steps → close the CQL client. */
  close(): Promise<void>;
}

export type RunningService<Config extends ServiceConfig, Exposed extends object> = RunningServiceBase<Config> & Exposed;

/**
 * The start-up every service shares: config → logger → metrics → CQL client → migrations → readiness → the
 * service's wiring → auth → HTTP app → listen → background work → graceful shutdown. Throws when the
 * configuration is invalid or an engine is unreachable at start-up, after undoing what had started.
 */
export async function startService<Config extends ServiceConfig, Options extends StartServiceOptions, Exposed extends object>(
  definition: ServiceDefinition<Config, Options, Exposed>,
  env: NodeJS.ProcessEnv,
  options: Options,
): Promise<RunningService<Config, Exposed>> {
  const { name } = definition;
  const config = definition.loadConfig(env);
  const logger = options.logger ?? createLogger(name, config.LOG_LEVEL);
  const metrics = createMetrics(name, { collectDefaultMetrics: options.collectDefaultMetrics ?? true });
  const client = createCqlClient(config, {
    metrics: createCqlMetrics(metrics.registry),
    requestTracker: createLwtCounter(metrics.registry),
  });
  const stopSteps: ShutdownStep[] = [{ name: 'close CQL client', run: () => client.shutdown() }];
  const undoStart = async () => {
    for (const step of stopSteps) await Promise.resolve().then(step.run).catch(() => undefined);
  };

  let wiring: ServiceWiring<Exposed>;
  let health: HealthRegistry;
  let listening: Awaited<ReturnType<typeof listen>>;
  let app: Express;
  try {
    await client.connect();
    await definition.migrate(client, config, logger);
    health = new HealthRegistry(logger).register('database', cqlReadinessCheck(client));
    const context: ServiceContext<Config> = {
      name,
      config,
      logger,
      metrics,
      client,
      health,
      stopWith: (stepName, run) => stopSteps.unshift({ name: stepName, run }),
    };
    wiring = await definition.wire(context, options);
    const auth = createBearerAuth({ realm: name, tokens: config.AUTH_TOKENS });
    app = createHttpApp({ service: name, logger, metrics, health, auth, bodyLimit: config.HTTP_BODY_LIMIT }, wiring.routes);
    listening = await listen(app, config.PORT, undefined, serverLimitsOf(config));
  } catch (error) {
    await undoStart();
    throw error;
  }
  const { server, port } = listening;
  logger.info(`${name} listening`, { port, keyspace: config.SCYLLA_KEYSPACE });
  wiring.start?.();

  const shutdown = createGracefulShutdown({
    logger,
    health,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    ...(options.handleSignals ? {} : { exit: () => undefined }),
  }).addServer(server);
  for (const step of stopSteps) shutdown.addStep(step.name, step.run);
  if (options.handleSignals) shutdown.install();

  return {
    ...wiring.exposed,
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    metrics,
    app,
    close: async () => {
      await shutdown.shutdown('close');
    },
  };
}
