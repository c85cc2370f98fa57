import path from 'node:path';
import type { Client } from 'cassandra-driver';
import type { Logger } from '@scylla-es/es-core';
import {
  applyMigrations,
  detectDialect,
  type CqlConfig,
  type MigrationReport,
  type MigrationSource,
} from '@scylla-es/es-core/cql';

/** The project's CQL, shipped beside the compiled code (`dist/..` and `src/..` both reach `cql/`). */
export const schemaSource: MigrationSource = {
  bootstrapFile: path.join(__dirname, '..', 'cql', 'keyspace.cql'),
  migrationsDirectory: path.join(__dirname, '..', 'cql', 'migrations'),
};

/** What every service runs at start-up: bring the keyspace to the newest schema (a no-op when it is). */
export async function migrateSchema(client: Client, config: CqlConfig, logger?: Logger): Promise<MigrationReport> {
  return applyMigrations(client, schemaSource, {
    keyspace: config.SCYLLA_KEYSPACE,
    replicationFactor: config.SCYLLA_REPLICATION_FACTOR,
    dialect: await detectDialect(client, config.SCYLLA_DIALECT),
    ...(logger ? { logger } : {}),
  });
}
