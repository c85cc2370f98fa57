import { createLogger, loadConfig } from '@scylla-es/es-core';
import { createCqlClient, cqlConfigShape } from '@scylla-es/es-core/cql';
import { migrateSchema } from './index';

/** `pnpm --filter @scylla-es/schema migrate`: applies the schema with the same settings as the services. */
async function main(): Promise<void> {
  const logger = createLogger('schema');
  const config = loadConfig(cqlConfigShape);
  const client = createCqlClient(config);
  try {
    const report = await migrateSchema(client, config, logger);
    logger.info('schema up to date', { keyspace: config.SCYLLA_KEYSPACE, ...report });
  } finally {
    await client.shutdown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
