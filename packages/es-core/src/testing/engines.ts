import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'cassandra-driver';
import { joinScyllaNode } from './scylla-node';

/**
 * Where integration tests find their engines. `TEST_ENGINES=local` (default): the real Kafka and Cassandra
 * (+ ScyllaDB-CDC emulation) that `make test` started from Maven Central jars. `TEST_ENGINES=containers`:
 * real ScyllaDB and Redpanda images that the Jest global setup started with testcontainers. The same test
 * files run on both; only how a fault is injected differs.
 */
export interface TestEngines {
  readonly kind: 'local' | 'containers';
  readonly cqlContactPoints: readonly string[];
  readonly cqlLocalDataCenter: string;
  readonly kafkaBrokers: readonly string[];
  /** Makes the broker unreachable (stop, or pause a container), as an outage would. */
  stopKafka(): Promise<void>;
  startKafka(): Promise<void>;
  /** Crashes the database (SIGKILL): no shutdown, no flush; what it acknowledged must survive. */
  killDatabase(): Promise<void>;
  /** Resolves once the database killed by killDatabase answers CQL again. */
  startDatabase(): Promise<void>;
  /**
   * Starts a new CDC generation a few seconds ahead and resolves with its time: the local emulation's admin
   * endpoint; on containers, a second ScyllaDB node joining the cluster (ScyllaDB starts generations on
   * topology changes only, a little ahead of the change).
   */
  requestCdcGeneration(delaySeconds: number): Promise<Date>;
  /**
   * Resolves once the CDC log holds every acknowledged write and the database has stopped writing it. Log reads
   * see acknowledged writes at once on both engines, but the local emulation may still be writing log rows, which
   * a benchmark of a log reader would otherwise measure too.
   */
  cdcLogWritten(): Promise<void>;
  /**
   * The engines' process ids, for CPU figures in benches: BENCH_DATABASE_PID and BENCH_BROKER_PID when given,
   * else those of the local engines.
   */
  processIds(): { readonly database?: number; readonly broker?: number };
}

const run = promisify(execFile);

/** The variables that point a service at the test engines, for the environment of a service a test starts. */
export function engineEnvironment(engines: TestEngines): Record<string, string> {
  return {
    SCYLLA_NODES: engines.cqlContactPoints.join(','),
    SCYLLA_LOCAL_DC: engines.cqlLocalDataCenter,
    REDPANDA_BROKERS: engines.kafkaBrokers.join(','),
  };
}

export function testEngines(): TestEngines {
  const kind = process.env.TEST_ENGINES === 'containers' ? 'containers' : 'local';
  const cqlContactPoints = (process.env.SCYLLA_NODES ?? '127.0.0.1:9042').split(',');
  const kafkaBrokers = (process.env.REDPANDA_BROKERS ?? '127.0.0.1:9092').split(',');
  const cqlLocalDataCenter = process.env.SCYLLA_LOCAL_DC ?? 'datacenter1';
  if (kind === 'containers') {
    const kafkaContainer = requiredEnv('TEST_KAFKA_CONTAINER_ID');
    const scyllaContainer = requiredEnv('TEST_SCYLLA_CONTAINER_ID');
    return {
      kind,
      cqlContactPoints,
      cqlLocalDataCenter,
      kafkaBrokers,
      stopKafka: async () => void (await run('docker', ['pause', kafkaContainer])),
      startKafka: async () => void (await run('docker', ['unpause', kafkaContainer])),
      // The image's supervisor restarts a killed scylla process; the container and its ports stay.
      killDatabase: async () => void (await run('docker', ['exec', scyllaContainer, 'pkill', '-KILL', '-x', 'scylla'])),
      startDatabase: () => cqlAnswers(cqlContactPoints, cqlLocalDataCenter),
      // ScyllaDB starts a generation on a topology change, at a time of its own choosing: the delay asked is moot.
      requestCdcGeneration: () =>
        joinScyllaNode({
          image: requiredEnv('TEST_SCYLLA_IMAGE'),
          network: requiredEnv('TEST_SCYLLA_NETWORK'),
          seed: requiredEnv('TEST_SCYLLA_SEED'),
          contactPoints: cqlContactPoints,
          localDataCenter: cqlLocalDataCenter,
        }),
      cdcLogWritten: () => Promise.resolve(),
      processIds: () => ({ database: pidFromEnv('BENCH_DATABASE_PID'), broker: pidFromEnv('BENCH_BROKER_PID') }),
    };
  }
  const enginesCli = path.join(repositoryRoot(), 'infra', 'local', 'engines');
  const adminUrl = `http://127.0.0.1:${process.env.CDC_ADMIN_PORT ?? '9180'}`;
  const enginesHome = process.env.ENGINES_HOME ?? path.join(repositoryRoot(), '.engines');
  return {
    kind,
    cqlContactPoints,
    cqlLocalDataCenter,
    kafkaBrokers,
    stopKafka: async () => void (await run(enginesCli, ['stop', 'kafka'])),
    startKafka: async () => void (await run(enginesCli, ['start', 'kafka'], { timeout: 180_000 })),
    killDatabase: async () => void (await run(enginesCli, ['kill', 'cassandra'])),
    startDatabase: async () => void (await run(enginesCli, ['start', 'cassandra'], { timeout: 240_000 })),
    requestCdcGeneration: async (delaySeconds) => {
      const response = await fetch(`${adminUrl}/generations?delaySeconds=${delaySeconds}`, { method: 'POST' });
      if (!response.ok) throw new Error(`the CDC emulation refused a new generation: HTTP ${response.status}`);
      return new Date(((await response.json()) as { time: number }).time);
    },
    cdcLogWritten: () => emulationCaughtUp(adminUrl),
    processIds: () => ({
      database: pidFromEnv('BENCH_DATABASE_PID') ?? pidFromFile(path.join(enginesHome, 'cassandra', 'cassandra.pid')),
      broker: pidFromEnv('BENCH_BROKER_PID') ?? pidFromFile(path.join(enginesHome, 'kafka', 'kafka.pid')),
    }),
  };
}

interface EmulationStatus {
  readonly caughtUp: boolean;
  readonly logRowsWritten: number;
  /** When the emulation's last pass over the commit log ended (this machine's clock). */
  readonly lastPassMillis: number;
}

/**
 * A write acknowledged before this call is synced in the commit log already (batch mode): a pass ending after this
 * call, caught up, with no log row written since the previous look, has logged it and the emulation has gone quiet.
 */
async function emulationCaughtUp(adminUrl: string, timeoutMs = 120_000): Promise<void> {
  const status = async () => (await (await fetch(`${adminUrl}/status`)).json()) as EmulationStatus;
  const calledAt = Date.now();
  const deadline = calledAt + timeoutMs;
  let previous = await status();
  while (Date.now() < deadline) {
    await sleep(250);
    const current = await status();
    const passAfterSync = current.lastPassMillis >= calledAt + 200;
    if (current.caughtUp && passAfterSync && current.logRowsWritten === previous.logRowsWritten) return;
    previous = current;
  }
  throw new Error(`the CDC emulation did not catch up with the commit log within ${timeoutMs} ms`);
}

/** Polls until a new CQL session connects and answers a query. */
async function cqlAnswers(contactPoints: readonly string[], localDataCenter: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Client({ contactPoints: [...contactPoints], localDataCenter });
    try {
      await client.connect();
      await client.execute('SELECT release_version FROM system.local');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(1_000);
    } finally {
      await client.shutdown();
    }
  }
}

function pidFromFile(file: string): number | undefined {
  return existsSync(file) ? asPid(readFileSync(file, 'utf8')) : undefined;
}

function pidFromEnv(name: string): number | undefined {
  const value = process.env[name];
  return value === undefined ? undefined : asPid(value);
}

function asPid(text: string): number | undefined {
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** A fresh keyspace name per test suite keeps suites independent on one shared engine. */
export function uniqueKeyspace(prefix: string): string {
  return `t_${prefix.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

export function repositoryRoot(from: string = __dirname): string {
  let directory = from;
  while (!existsSync(path.join(directory, 'pnpm-workspace.yaml'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error(`no pnpm-workspace.yaml above ${from}`);
    directory = parent;
  }
  return directory;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through the Jest global setup`);
  return value;
}
