import { createLogger, loadConfig, type Logger } from '@scylla-es/es-core';
import { createCqlClient, cqlConfigShape } from '@scylla-es/es-core/cql';
import { dropTestKeyspace, testEngines, uniqueKeyspace } from '@scylla-es/es-core/testing';
import type { Client } from 'cassandra-driver';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCommandService, type RunningCommandService } from '../../src/service';

export const TOKENS = {
  reader: 'test-reader-token-0001',
  writer: 'test-writer-token-0001',
  admin: 'test-admin-token-0001',
} as const;

export const AUTH_TOKENS = `${TOKENS.reader}:read,${TOKENS.writer}:write,${TOKENS.admin}:admin`;

/** The environment a test service runs with: the test engines, its own keyspace, a free port, known tokens. */
export function testEnvironment(keyspace: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const engines = testEngines();
  return {
    SCYLLA_NODES: engines.cqlContactPoints.join(','),
    SCYLLA_LOCAL_DC: engines.cqlLocalDataCenter,
    SCYLLA_KEYSPACE: keyspace,
    SCYLLA_DIALECT: 'auto',
    PORT: '0',
    AUTH_TOKENS,
    SHUTDOWN_TIMEOUT_MS: '10000',
    ...overrides,
  };
}

export interface TestService {
  readonly service: RunningCommandService;
  readonly url: string;
  readonly keyspace: string;
  /** A separate client for inspecting (or tampering with) the keyspace behind the service's back. */
  readonly cql: Client;
  /** Closes the service, drops the keyspace, closes the inspection client. */
  stop(): Promise<void>;
}

/**
 * Waits until the test engine answers CQL. The local engine is shared by every package's tests and may be
 * restarting when a suite begins; a suite then waits for it instead of failing at once.
 */
export async function waitForEngine(timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cql = createCqlClient(loadConfig(cqlConfigShape, testEnvironment('system')));
    try {
      await cql.connect();
      await cql.execute('SELECT now() FROM system.local');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(1_000);
    } finally {
      await cql.shutdown().catch(() => undefined);
    }
  }
}

/** A real command-service in this process, on a fresh keyspace of the test Cassandra/ScyllaDB. */
export async function startTestService(prefix: string, overrides: NodeJS.ProcessEnv = {}, logger?: Logger): Promise<TestService> {
  await waitForEngine();
  const keyspace = uniqueKeyspace(prefix);
  const env = testEnvironment(keyspace, overrides);
  const service = await startCommandService(env, {
    logger: logger ?? createLogger('command-service', process.env.TEST_LOG_LEVEL ?? 'error'),
    collectDefaultMetrics: false,
  });
  const cql = createCqlClient(loadConfig(cqlConfigShape, env));
  await cql.connect();
  return {
    service,
    url: service.url,
    keyspace,
    cql,
    stop: async () => {
      await service.close();
      if (!process.env.KEEP_TEST_KEYSPACES) await dropTestKeyspace(cql, keyspace).catch(() => undefined);
      await cql.shutdown();
    },
  };
}

/** Drops a keyspace a test created without startTestService. */
export async function dropKeyspace(keyspace: string): Promise<void> {
  if (process.env.KEEP_TEST_KEYSPACES) return;
  const cql = createCqlClient(loadConfig(cqlConfigShape, testEnvironment(keyspace)));
  try {
    await dropTestKeyspace(cql, keyspace);
  } finally {
    await cql.shutdown();
  }
}
