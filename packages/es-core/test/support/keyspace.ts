import path from 'node:path';
import type { Client } from 'cassandra-driver';
import { applyMigrations, createCqlClient, cqlConfigShape, detectDialect, loadConfig, type CqlConfig } from '../../src';
import { repositoryRoot, testEngines, uniqueKeyspace } from '../../src/testing';

/** A fresh keyspace with the project's schema, on the test engines, for one test file. */
export async function migratedKeyspace(prefix: string): Promise<{ client: Client; keyspace: string; config: CqlConfig; drop: () => Promise<void> }> {
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
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    },
  };
}
