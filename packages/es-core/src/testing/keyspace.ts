import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { createCqlClient, detectDialect } from '../cql/client';
import { applyMigrations } from '../cql/migrations';
import { cqlConfigShape, type CqlConfig } from '../cql/cql-config';
import { loadConfig } from '../core/config/environment';
import { repositoryRoot, testEngines, uniqueKeyspace } from './engines';

export interface TestKeyspace {
  readonly client: Client;
  readonly keyspace: string;
  readonly config: CqlConfig;
  /** Drops the keyspace and closes the client. */
  drop(): Promise<void>;
}

/** A fresh keyspace with the project's schema (`schema/cql`), on the test engines, for one test file. */
export async function migratedKeyspace(prefix: string): Promise<TestKeyspace> {
  const engines = testEngines();
  const keyspace = uniqueKeyspace(prefix);
  const config = loadConfig(cqlConfigShape, {
    SCYLLA_NODES: engines.cqlContactPoints.join(','),
    SCYLLA_LOCAL_DC: engines.cqlLocalDataCenter,
    SCYLLA_KEYSPACE: keyspace,
  });
  const client = createCqlClient(config);
  await client.connect();
  const schema = path.join(repositoryRoot(), 'schema', 'cql');
  await applyMigrations(
    client,
    { bootstrapFile: path.join(schema, 'keyspace.cql'), migrationsDirectory: path.join(schema, 'migrations') },
    { keyspace, replicationFactor: 1, dialect: await detectDialect(client, 'auto') },
  );
  return {
    client,
    keyspace,
    config,
    drop: async () => {
      await dropTestKeyspace(client, keyspace);
      await client.shutdown();
    },
  };
}

/**
 * Drops a test's keyspace. Dropping flushes every table: on a busy machine, or just after the database restarted,
 * that outlasts the driver's usual read timeout.
 */
export async function dropTestKeyspace(client: Client, keyspace: string): Promise<void> {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`, [], { readTimeout: 60_000 });
}
