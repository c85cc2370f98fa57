import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { migratedKeyspace, repositoryRoot, TcpProxy, testEngines, type TestEngines } from '@scylla-es/es-core/testing';
import { CUSTOMER_TOPIC, ORDER_TOPIC } from '@scylla-es/domain';
import { Kafka, logLevel } from 'kafkajs';
import type { ChaosSettings } from '../settings';
import { ServiceProcess } from './service-process';
import { SERVICES, type FaultControls, type ServiceName, type Stack } from './stack';

const run = promisify(execFile);
const START_ATTEMPTS = 3;
const TOKENS = { write: 'chaos-writer-token', read: 'chaos-reader-token', admin: 'chaos-admin-token' };

/**
 * The four built services started by the harness on the test engines (local processes, or containers with
 * TEST_ENGINES=containers), in a keyspace, dead-letter topic and consumer groups of their own. The services reach
 * the database through a TCP proxy the harness holds, so it can stall them; the checker's session goes direct.
 * Settings are the dev stack's (a 2 s CDC confidence window) with shorter session and lease timeouts, so a killed
 * instance's share moves on within seconds rather than half a minute.
 */
export async function startLocalStack(settings: ChaosSettings): Promise<Stack> {
  const engines = testEngines();
  const { client, keyspace, drop } = await migratedKeyspace('chaos');
  const [host = '127.0.0.1', port = '9042'] = (engines.cqlContactPoints[0] ?? '').split(':');
  const proxy = new TcpProxy(host, Number(port));
  await proxy.start();
  const ports = settings.CHAOS_FIRST_PORT > 0 ? SERVICES.map((_, index) => settings.CHAOS_FIRST_PORT + index) : await freePorts(SERVICES.length);
  const portOf = (name: ServiceName) => ports[SERVICES.indexOf(name)] as number;
  const deadLetterTopic = `${keyspace}.dead-letters`;
  const consumerGroups = { projector: `${keyspace}.projector`, dlq: `${keyspace}.dlq-service` };
  const logDir = settings.CHAOS_LOG_DIR ?? path.join(process.env.ENGINES_HOME ?? path.join(repositoryRoot(__dirname), '.engines'), 'chaos', keyspace);
  mkdirSync(logDir, { recursive: true });
  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    SCYLLA_NODES: proxy.address,
    SCYLLA_LOCAL_DC: engines.cqlLocalDataCenter,
    SCYLLA_KEYSPACE: keyspace,
    REDPANDA_BROKERS: engines.kafkaBrokers.join(','),
    AUTH_TOKENS: `writer:${TOKENS.write}:write,reader:${TOKENS.read}:read,admin:${TOKENS.admin}:admin`,
    DEAD_LETTER_TOPIC: deadLetterTopic,
    KAFKA_TOPIC_PARTITIONS: '3',
    LOG_LEVEL: 'warn',
  };
  const own: Record<ServiceName, NodeJS.ProcessEnv> = {
    'command-service': {},
    'cdc-relay': {
      CDC_CONFIDENCE_WINDOW_MS: '2000',
      CDC_WINDOW_MS: '5000',
      CDC_POLL_INTERVAL_MS: '250',
      CDC_LEASE_TTL_SECONDS: '6',
      CDC_GENERATION_REFRESH_MS: '1000',
    },
    // The event topics are the domain's, shared with every other run on this broker: the group starts at their end.
    projector: { PROJECTOR_GROUP_ID: consumerGroups.projector, PROJECTOR_START_FROM: 'latest', PROJECTOR_SESSION_TIMEOUT_MS: '10000' },
    'dlq-service': { DLQ_GROUP_ID: consumerGroups.dlq, DLQ_SESSION_TIMEOUT_MS: '10000' },
  };
  const processes = new Map(
    SERVICES.map((name) => [
      name,
      new ServiceProcess(name, { ...common, ...own[name], PORT: String(portOf(name)) }, path.join(logDir, `${name}.log`)),
    ]),
  );
  for (const service of processes.values()) service.start();
  const urls = Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${portOf(name)}`])) as Record<ServiceName, string>;

  const faults: FaultControls = {
    killService: async (name) => {
      const service = processes.get(name) as ServiceProcess;
      await service.kill();
      service.start();
    },
    stallDatabase: async () => proxy.stall(),
    resumeDatabase: async () => proxy.resume(),
    ...(engines.kind === 'local' ? localEngineFaults(engines) : containerEngineFaults(engines)),
  };

  return {
    description: `local: the four built services on ${engines.kind} engines, keyspace ${keyspace}, logs in ${logDir}`,
    urls,
    tokens: TOKENS,
    client,
    keyspace,
    kafka: new Kafka({ clientId: 'chaos-checker', brokers: [...engines.kafkaBrokers], logLevel: logLevel.NOTHING }),
    eventTopics: [ORDER_TOPIC, CUSTOMER_TOPIC],
    deadLetterTopic,
    consumerGroups,
    faults,
    close: async (keepData) => {
      await Promise.all([...processes.values()].map((service) => service.stop()));
      await proxy.stop();
      // Dropping a keyspace waits for schema agreement, slow on a busy machine: a leftover keyspace is no failure.
      if (keepData) await client.shutdown();
      else await drop().catch(() => client.shutdown());
    },
  };
}

/**
 * The local engines through their CLI. A start on a busy machine can take minutes (Cassandra replays its commit log
 * and the emulation catches up before CQL opens), so the starts get a long timeout and a second and third try.
 */
function localEngineFaults(engines: TestEngines): Omit<FaultControls, 'killService' | 'stallDatabase' | 'resumeDatabase'> {
  const enginesCli = path.join(repositoryRoot(__dirname), 'infra', 'local', 'engines');
  const cli = async (...args: string[]) =>
    void (await run(enginesCli, args, { timeout: 900_000, env: { ...process.env, CASSANDRA_START_TIMEOUT: '600', KAFKA_START_TIMEOUT: '600' } }));
  const start = async (engine: string) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await cli('start', engine);
      } catch (error) {
        if (attempt === START_ATTEMPTS) throw error;
      }
    }
  };
  return {
    restartDatabase: async () => {
      await cli('kill', 'cassandra');
      await start('cassandra');
    },
    killBroker: () => cli('kill', 'kafka'),
    startBroker: () => start('kafka'),
    newCdcGeneration: () => engines.requestCdcGeneration(5),
    unsupported: {},
  };
}

/** ScyllaDB and Redpanda containers through es-core's engines: the broker is paused, the database's process killed. */
function containerEngineFaults(engines: TestEngines): Omit<FaultControls, 'killService' | 'stallDatabase' | 'resumeDatabase'> {
  return {
    restartDatabase: async () => {
      await engines.killDatabase();
      await engines.startDatabase();
    },
    killBroker: () => engines.stopKafka(),
    startBroker: () => engines.startKafka(),
    unsupported: { newCdcGeneration: 'a single ScyllaDB container cannot change its CDC generation (it takes a topology change)' },
  };
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
