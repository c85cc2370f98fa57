import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import type { LeaseStore } from './cdc-ports';

export interface LeaseOptions {
  readonly keyspace: string;
  readonly consumer: string;
  readonly baseTable: string;
  /** How long a lease outlives its last renewal: a dead instance's buckets are free after this. */
  readonly ttlSeconds: number;
  readonly owner?: string;
}

/**
 * Leases of buckets of stream groups as lightweight transactions under a TTL: taking a free bucket is
 * `INSERT … IF NOT EXISTS`, keeping it is `UPDATE … IF owner = me`, and a lease that is not renewed expires by
 * itself. Two owners of one bucket cannot coexist in the table; an instance also stops working on a bucket as
 * soon as a renewal fails, and a renewal is due well before the TTL runs out.
 */
export class CqlLeaseStore implements LeaseStore {
  readonly owner: string;
  private readonly statements;

  constructor(
    private readonly client: Client,
    private readonly options: LeaseOptions,
  ) {
    this.owner = options.owner ?? randomUUID();
    const table = `${options.keyspace}.cdc_lease_buckets`;
    const ttl = Math.max(1, Math.round(options.ttlSeconds));
    this.statements = {
      all: `SELECT bucket, owner FROM ${table} WHERE consumer = ? AND base_table = ?`,
      acquire: `INSERT INTO ${table} (consumer, base_table, bucket, owner, acquired_at) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ${ttl}`,
      renew: `UPDATE ${table} USING TTL ${ttl} SET owner = ?, acquired_at = ? WHERE consumer = ? AND base_table = ? AND bucket = ? IF owner = ?`,
      release: `DELETE FROM ${table} WHERE consumer = ? AND base_table = ? AND bucket = ? IF owner = ?`,
      heartbeat: `INSERT INTO ${options.keyspace}.cdc_consumer_members (consumer, base_table, member, heartbeat_at)
        VALUES (?, ?, ?, ?) USING TTL ${ttl}`,
      members: `SELECT member FROM ${options.keyspace}.cdc_consumer_members WHERE consumer = ? AND base_table = ?`,
      leave: `DELETE FROM ${options.keyspace}.cdc_consumer_members WHERE consumer = ? AND base_table = ? AND member = ?`,
    };
  }

  async heartbeat(): Promise<string[]> {
    const { consumer, baseTable } = this.options;
    await this.client.execute(this.statements.heartbeat, [consumer, baseTable, this.owner, new Date()], { prepare: true });
    const result = await this.client.execute(this.statements.members, [consumer, baseTable], { prepare: true });
    return result.rows.map((row) => row.get('member') as string);
  }

  async leave(): Promise<void> {
    await this.client.execute(this.statements.leave, [this.options.consumer, this.options.baseTable, this.owner], {
      prepare: true,
    });
  }

  async owners(): Promise<Map<number, string>> {
    const result = await this.client.execute(this.statements.all, [this.options.consumer, this.options.baseTable], {
      prepare: true,
      fetchSize: 10_000,
    });
    return new Map(result.rows.map((row) => [row.get('bucket') as number, row.get('owner') as string]));
  }

  async acquire(bucket: number): Promise<boolean> {
    const result = await this.client.execute(
      this.statements.acquire,
      [this.options.consumer, this.options.baseTable, bucket, this.owner, new Date()],
      { prepare: true },
    );
    return result.wasApplied();
  }

  async renew(bucket: number): Promise<boolean> {
    const result = await this.client.execute(
      this.statements.renew,
      [this.owner, new Date(), this.options.consumer, this.options.baseTable, bucket, this.owner],
      { prepare: true },
    );
    return result.wasApplied();
  }

  async release(bucket: number): Promise<void> {
    await this.client.execute(this.statements.release, [this.options.consumer, this.options.baseTable, bucket, this.owner], {
      prepare: true,
    });
  }
}
