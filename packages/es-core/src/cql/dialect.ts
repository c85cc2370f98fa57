import type { CqlDialect } from './client';

/**
 * `schema/` is written for ScyllaDB. Apache Cassandra (the local stand-in) rejects a few ScyllaDB-only
 * options, so statements are translated one way only: ScyllaDB → Cassandra, never the reverse.
 *
 * The CDC option map becomes Cassandra's boolean `cdc = true`; ScyllaDB's option map travels in the table comment
 * (`scylla_cdc={…}`) where the local CDC emulation reads post-image and TTL settings from.
 */
export function translateStatement(statement: string, dialect: CqlDialect): string {
  if (dialect === 'scylla') return statement;
  return [dropTabletsOption, translateCdcOption, dropScyllaOnlyTableOptions, replaceIncrementalCompaction].reduce(
    (translated, rule) => rule(translated),
    statement,
  );
}

/** A CDC-enabled base table: its name and whether the emulation must have created its log table. */
export function cdcEnabledTable(statement: string): { keyspace?: string; table: string } | undefined {
  const create = /CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:("?)(\w+)\1\.)?("?)(\w+)\3/i.exec(statement);
  if (!create || !/\bcdc\s*=\s*\{[^}]*'enabled'\s*:\s*(?:true|'true')/i.test(statement)) return undefined;
  return { ...(create[2] ? { keyspace: create[2] } : {}), table: create[4] as string };
}

const dropTabletsOption = (statement: string): string =>
  statement.replace(/\s+AND\s+tablets\s*=\s*\{[^}]*\}/gi, '');

const translateCdcOption = (statement: string): string =>
  statement.replace(/\bcdc\s*=\s*\{([^}]*)\}/i, (_match, body: string) => {
    const options = parseOptionMap(body);
    if (options.enabled !== 'true') return 'cdc = false';
    if (/\bcomment\s*=/i.test(statement)) {
      throw new Error('a CDC table that also sets a comment cannot be translated for Cassandra');
    }
    return `cdc = true AND comment = 'scylla_cdc=${JSON.stringify(options).replace(/'/g, "''")}'`;
  });

const dropScyllaOnlyTableOptions = (statement: string): string =>
  statement.replace(/\s+AND\s+(tombstone_gc|per_partition_rate_limit)\s*=\s*\{[^}]*\}/gi, '');

const replaceIncrementalCompaction = (statement: string): string =>
  statement.replace(/'IncrementalCompactionStrategy'/g, "'SizeTieredCompactionStrategy'");

/** `'enabled': true, 'ttl': 600` → {enabled: 'true', ttl: '600'} (values as strings, as ScyllaDB stores them). */
function parseOptionMap(body: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const entry of body.split(',')) {
    const match = /^\s*'([^']+)'\s*:\s*'?([^']*?)'?\s*$/.exec(entry);
    if (match) options[match[1] as string] = (match[2] as string).toLowerCase();
  }
  return options;
}
