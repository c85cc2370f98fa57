import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'cassandra-driver';
import { loadConfig } from '@scylla-es/es-core';
import { createCqlClient, cqlConfigShape, detectDialect, type CqlConfig } from '@scylla-es/es-core/cql';
import { testEngines, uniqueKeyspace } from '@scylla-es/es-core/testing';
import { migrateSchema } from '../src';

const run = promisify(execFile);
const engines = testEngines();

function configFor(keyspace: string): CqlConfig {
  return loadConfig(cqlConfigShape, {
    SCYLLA_NODES: engines.cqlContactPoints.join(','),
    SCYLLA_LOCAL_DC: engines.cqlLocalDataCenter,
    SCYLLA_KEYSPACE: keyspace,
  });
}

async function tableNames(client: Client, keyspace: string): Promise<string[]> {
  const result = await client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], {
    prepare: true,
  });
  return result.rows.map((row) => row.get('table_name') as string).sort();
}

async function ledger(client: Client, keyspace: string): Promise<string[]> {
  const result = await client.execute(`SELECT name FROM ${keyspace}.schema_migrations`);
  return result.rows.map((row) => row.get('name') as string).sort();
}

describe('the schema migration tool', () => {
  let client: Client;
  const keyspaces: string[] = [];
  const freshKeyspace = (prefix: string) => {
    const keyspace = uniqueKeyspace(prefix);
    keyspaces.push(keyspace);
    return keyspace;
  };

  beforeAll(async () => {
    client = createCqlClient(configFor('unused'));
    await client.connect();
  });

  afterAll(async () => {
    for (const keyspace of keyspaces) await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  });

  it('creates every table, the CDC log of event_store included, and a second run changes nothing', async () => {
    const keyspace = freshKeyspace('schema');
    const config = configFor(keyspace);

    const first = await migrateSchema(client, config);
    expect(first.applied).toEqual([
      '0001_event_store.cql',
      '0002_command_guards.cql',
      '0003_cdc_consumers.cql',
      '0004_cdc_members.cql',
      '0005_read_models.cql',
      '0006_projector_parking.cql',
      '0007_projection_copies.cql',
      '0008_dead_letters.cql',
      '0009_cdc_lease_buckets.cql',
    ]);
    expect(await tableNames(client, keyspace)).toEqual(
      [
        'aggregate_snapshots',
        'cdc_checkpoints',
        'cdc_consumer_members',
        'cdc_lease_buckets',
        'command_idempotency',
        'customer_read_model',
        'customer_read_model_b',
        'dlq_audit',
        'dlq_index_days',
        'dlq_message_index',
        'dlq_messages',
        'event_store',
        'event_store_scylla_cdc_log',
        'order_read_model',
        'order_read_model_b',
        'order_status_days',
        'order_status_days_b',
        'orders_by_customer',
        'orders_by_customer_b',
        'orders_by_status',
        'orders_by_status_b',
        'projection_copies',
        'projection_rebuild_ranges',
        'projector_parked_aggregates',
        'projector_parked_events',
        'schema_migration_lock',
        'schema_migrations',
        'unique_values',
      ].sort(),
    );
    const tablesAfterFirst = await tableNames(client, keyspace);

    const second = await migrateSchema(client, config);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    expect(await tableNames(client, keyspace)).toEqual(tablesAfterFirst);
    expect(await ledger(client, keyspace)).toEqual(first.applied);
  });

  it('translates the ScyllaDB-only options when the engine is Cassandra', async () => {
    const keyspace = freshKeyspace('dialect');
    await migrateSchema(client, configFor(keyspace));
    const dialect = await detectDialect(client, 'auto');
    const table = await client.execute(
      'SELECT cdc, comment FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?',
      [keyspace, 'event_store'],
      { prepare: true },
    );
    if (dialect === 'cassandra') {
      expect(table.first().get('cdc')).toBe(true);
      expect(JSON.parse(String(table.first().get('comment')).replace(/^scylla_cdc=/, ''))).toMatchObject({
        enabled: 'true',
        postimage: 'false',
        ttl: '86400',
      });
    } else {
      const scyllaOptions = await client.execute(
        'SELECT extensions FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?',
        [keyspace, 'event_store'],
        { prepare: true },
      );
      expect(scyllaOptions.first().get('extensions')).toHaveProperty('cdc');
    }
  });

  it('is safe when two processes apply it at the same moment', async () => {
    const keyspace = freshKeyspace('race');
    const cli = path.join(__dirname, '..', 'dist', 'cli.js');
    const env = {
      ...process.env,
      SCYLLA_NODES: engines.cqlContactPoints.join(','),
      SCYLLA_LOCAL_DC: engines.cqlLocalDataCenter,
      SCYLLA_KEYSPACE: keyspace,
      LOG_LEVEL: 'info',
    };
    const outcomes = await Promise.all([run('node', [cli], { env }), run('node', [cli], { env })]);

    const appliedByEach = outcomes.map(({ stdout }) =>
      stdout
        .split('\n')
        .filter((line) => line.includes('schema migration applied'))
        .map((line) => (JSON.parse(line) as { migration: string }).migration),
    );
    // The lock serialises the runs: every file is applied by exactly one of the two processes.
    expect([...(appliedByEach[0] ?? []), ...(appliedByEach[1] ?? [])].sort()).toEqual([
      '0001_event_store.cql',
      '0002_command_guards.cql',
      '0003_cdc_consumers.cql',
      '0004_cdc_members.cql',
      '0005_read_models.cql',
      '0006_projector_parking.cql',
      '0007_projection_copies.cql',
      '0008_dead_letters.cql',
      '0009_cdc_lease_buckets.cql',
    ]);
    expect(await ledger(client, keyspace)).toHaveLength(9);
  });

  it('names the file and the statement when a statement fails', async () => {
    const keyspace = freshKeyspace('broken');
    const { applyMigrations } = await import('@scylla-es/es-core/cql');
    const fixtures = path.join(__dirname, 'fixtures', 'broken');
    await expect(
      applyMigrations(
        client,
        { bootstrapFile: path.join(__dirname, '..', 'cql', 'keyspace.cql'), migrationsDirectory: fixtures },
        { keyspace, replicationFactor: 1, dialect: await detectDialect(client, 'auto') },
      ),
    ).rejects.toThrow(/0001_broken\.cql, statement 2: .*\n.*CREATE TABLE .*no_such_type/s);
  });
});
