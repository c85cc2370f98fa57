import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { types, type Client } from 'cassandra-driver';
import type { Logger } from '../core/logging/logger';
import type { CqlDialect } from './client';
import { cdcEnabledTable, translateStatement } from './dialect';

export interface MigrationSource {
  /** CQL run before anything else on every start (CREATE KEYSPACE …); must be idempotent. */
  readonly bootstrapFile: string;
  /** Folder of `NNNN_name.cql` files applied once each, in name order. */
  readonly migrationsDirectory: string;
}

export interface MigrationOptions {
  readonly keyspace: string;
  readonly replicationFactor: number;
  readonly dialect: CqlDialect;
  readonly logger?: Logger;
  /** How long to wait for another instance that holds the migration lock. */
  readonly lockTimeoutMs?: number;
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** A failed statement, named by file and position, with the driver's error as the cause. */
export class MigrationError extends Error {
  constructor(
    readonly file: string,
    readonly statementIndex: number,
    readonly statement: string,
    cause: unknown,
  ) {
    super(
      `${file}, statement ${statementIndex + 1}: ${cause instanceof Error ? cause.message : String(cause)}\n${statement}`,
      { cause },
    );
    this.name = 'MigrationError';
  }
}

interface MigrationFile {
  readonly name: string;
  readonly checksum: string;
  readonly statements: readonly string[];
}

const LOCK_TTL_SECONDS = 120;
const LOCK_NAME = 'schema';

/**
 * Applies pending schema files exactly once per keyspace, safely from several services starting together:
 * a lightweight-transaction lock with a TTL serialises the runs (a crashed holder's lock expires), each file's
 * checksum is recorded, and an applied file that changed afterwards stops start-up instead of drifting.
 */
export async function applyMigrations(
  client: Client,
  source: MigrationSource,
  options: MigrationOptions,
): Promise<MigrationReport> {
  const render = (cql: string) =>
    cql.replace(/\{\{keyspace\}\}/g, options.keyspace).replace(/\{\{replication_factor\}\}/g, String(options.replicationFactor));

  const bootstrap = await readMigrationFile(source.bootstrapFile, render);
  await executeFile(client, bootstrap, options);
  await createLedger(client, options.keyspace);

  const owner = randomUUID();
  await acquireLock(client, options.keyspace, owner, options.lockTimeoutMs ?? 180_000);
  try {
    const applied = await appliedChecksums(client, options.keyspace);
    const files = await readMigrationDirectory(source.migrationsDirectory, render);
    const report = { applied: [] as string[], alreadyApplied: [] as string[] };
    for (const file of files) {
      const recorded = applied.get(file.name);
      if (recorded !== undefined) {
        if (recorded !== file.checksum) {
          throw new Error(`${file.name} was changed after it was applied (checksum ${recorded} → ${file.checksum}); add a new migration instead`);
        }
        report.alreadyApplied.push(file.name);
        continue;
      }
      await executeFile(client, file, options);
      await client.execute(
        `INSERT INTO ${options.keyspace}.schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)`,
        [file.name, file.checksum, new Date()],
        { prepare: true },
      );
      options.logger?.info('schema migration applied', { migration: file.name, keyspace: options.keyspace });
      report.applied.push(file.name);
    }
    return report;
  } finally {
    await client.execute(
      `DELETE FROM ${options.keyspace}.schema_migration_lock WHERE name = ? IF owner = ?`,
      [LOCK_NAME, owner],
      { prepare: true },
    );
  }
}

async function executeFile(client: Client, file: MigrationFile, options: MigrationOptions): Promise<void> {
  for (const [index, statement] of file.statements.entries()) {
    const translated = translateStatement(statement, options.dialect);
    try {
      await executeDdl(client, translated);
      const cdcTable = cdcEnabledTable(statement);
      if (cdcTable && options.dialect === 'cassandra') {
        await waitForCdcLogTable(client, cdcTable.keyspace ?? options.keyspace, cdcTable.table);
      }
    } catch (error) {
      throw new MigrationError(file.name, index, translated, error);
    }
  }
}

/** ScyllaDB creates `<table>_scylla_cdc_log` with the table; the local emulation does it a moment later. */
async function waitForCdcLogTable(client: Client, keyspace: string, table: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await client.execute(
      'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?',
      [keyspace, `${table}_scylla_cdc_log`],
      { prepare: true },
    );
    if (result.rowLength > 0) return;
    await sleep(100);
  }
  throw new Error(`the CDC log table of ${keyspace}.${table} did not appear within ${timeoutMs} ms: is the CDC emulation running?`);
}

async function createLedger(client: Client, keyspace: string): Promise<void> {
  await executeDdl(
    client,
    `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations (name text PRIMARY KEY, checksum text, applied_at timestamp)`,
  );
  await executeDdl(client, `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migration_lock (name text PRIMARY KEY, owner text)`);
}

/** The driver waits for schema agreement after DDL (up to maxSchemaAgreementWaitSeconds) and tells the outcome. */
async function executeDdl(client: Client, statement: string): Promise<void> {
  const result = await client.execute(statement);
  const info = result.info as { isSchemaInAgreement?: boolean };
  if (info.isSchemaInAgreement === false) throw new Error('the cluster did not reach schema agreement');
}

async function acquireLock(client: Client, keyspace: string, owner: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const result = await client.execute(
      `INSERT INTO ${keyspace}.schema_migration_lock (name, owner) VALUES (?, ?) IF NOT EXISTS USING TTL ${LOCK_TTL_SECONDS}`,
      [LOCK_NAME, owner],
      { prepare: true },
    );
    if (result.wasApplied()) return;
    if (Date.now() > deadline) {
      throw new Error(`schema migration lock of ${keyspace} is still held by another instance after ${timeoutMs} ms`);
    }
    await sleep(Math.min(2_000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
  }
}

async function appliedChecksums(client: Client, keyspace: string): Promise<Map<string, string>> {
  const result = await client.execute(`SELECT name, checksum FROM ${keyspace}.schema_migrations`, [], {
    prepare: true,
    consistency: types.consistencies.localQuorum,
  });
  return new Map(result.rows.map((row) => [row.get('name') as string, row.get('checksum') as string]));
}

async function readMigrationDirectory(directory: string, render: (cql: string) => string): Promise<MigrationFile[]> {
  const names = (await readdir(directory)).filter((name) => /^\d{4}_[\w-]+\.cql$/.test(name)).sort();
  return Promise.all(names.map((name) => readMigrationFile(path.join(directory, name), render)));
}

async function readMigrationFile(file: string, render: (cql: string) => string): Promise<MigrationFile> {
  const text = await readFile(file, 'utf8');
  return {
    name: path.basename(file),
    checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
    statements: splitStatements(render(text)),
  };
}

/** Statements end with `;` at the end of a line; `--` and `//` comment lines are dropped. */
export function splitStatements(cql: string): string[] {
  const withoutComments = cql
    .split('\n')
    .filter((line) => !/^\s*(--|\/\/)/.test(line))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
