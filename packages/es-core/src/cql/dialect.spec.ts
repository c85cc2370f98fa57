import { cdcEnabledTable, translateStatement } from './dialect';

describe('translating ScyllaDB CQL for Cassandra', () => {
  const keyspace = `CREATE KEYSPACE IF NOT EXISTS ks
  WITH replication = {'class': 'NetworkTopologyStrategy', 'replication_factor': 1}
  AND tablets = {'enabled': false}`;

  it('drops the tablets option of a keyspace', () => {
    expect(translateStatement(keyspace, 'cassandra')).toBe(`CREATE KEYSPACE IF NOT EXISTS ks
  WITH replication = {'class': 'NetworkTopologyStrategy', 'replication_factor': 1}`);
  });

  it('leaves every statement untouched for ScyllaDB', () => {
    expect(translateStatement(keyspace, 'scylla')).toBe(keyspace);
  });

  it("turns the CDC option map into cdc = true and keeps ScyllaDB's options in the comment", () => {
    const table = "CREATE TABLE ks.t (id int PRIMARY KEY) WITH cdc = {'enabled': true, 'postimage': 'true', 'ttl': 600}";
    expect(translateStatement(table, 'cassandra')).toBe(
      `CREATE TABLE ks.t (id int PRIMARY KEY) WITH cdc = true AND comment = 'scylla_cdc={"enabled":"true","postimage":"true","ttl":"600"}'`,
    );
  });

  it('translates a disabled CDC map to cdc = false', () => {
    expect(translateStatement("CREATE TABLE t (id int PRIMARY KEY) WITH cdc = {'enabled': false}", 'cassandra')).toBe(
      'CREATE TABLE t (id int PRIMARY KEY) WITH cdc = false',
    );
  });

  it('refuses a CDC table that also has a comment rather than losing either', () => {
    expect(() =>
      translateStatement("CREATE TABLE t (id int PRIMARY KEY) WITH comment = 'x' AND cdc = {'enabled': true}", 'cassandra'),
    ).toThrow(/comment/);
  });

  it('removes ScyllaDB-only table options and compaction strategies', () => {
    const table = `CREATE TABLE t (id int PRIMARY KEY) WITH compaction = {'class': 'IncrementalCompactionStrategy'}
  AND tombstone_gc = {'mode': 'repair'} AND per_partition_rate_limit = {'max_writes_per_second': 10}`;
    expect(translateStatement(table, 'cassandra')).toBe(
      "CREATE TABLE t (id int PRIMARY KEY) WITH compaction = {'class': 'SizeTieredCompactionStrategy'}",
    );
  });

  it('recognises CDC-enabled tables, with or without keyspace and IF NOT EXISTS', () => {
    expect(cdcEnabledTable("CREATE TABLE IF NOT EXISTS ks.events (id int PRIMARY KEY) WITH cdc = {'enabled': true}")).toEqual({
      keyspace: 'ks',
      table: 'events',
    });
    expect(cdcEnabledTable("create table events (id int primary key) with cdc = {'enabled': 'true'}")).toEqual({ table: 'events' });
    expect(cdcEnabledTable("CREATE TABLE ks.t (id int PRIMARY KEY) WITH cdc = {'enabled': false}")).toBeUndefined();
    expect(cdcEnabledTable('CREATE TABLE ks.t (id int PRIMARY KEY)')).toBeUndefined();
  });
});
