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

  /**
   * All of this instance's buckets in one conditional batch: they share the consumer's partition, so that is one
   * Paxos round instead of one per bucket, and no round of one instance queues behind another's on the partition.
   * When any condition failed nothing was applied, and each bucket is renewed on its own to learn which are lost.
   */
  async renew(buckets: readonly number[]): Promise<number[]> {
    const renewal = (bucket: number) => ({
      query: this.statements.renew,
      params: [this.owner, new Date(), this.options.consumer, this.options.baseTable, bucket, this.owner],
    });
    if (buckets.length > 1) {
      const result = await this.client.batch(buckets.map(renewal), { prepare: true });
      if (result.wasApplied()) return [...buckets];
    }
    const kept: number[] = [];
    for (const bucket of buckets) {
      const { query, params } = renewal(bucket);
      if ((await this.client.execute(query, params, { prepare: true })).wasApplied()) kept.push(bucket);
    }
    return kept;
  }

  async release(bucket: number): Promise<void> {
    await this.client.execute(this.statements.release, [this.options.consumer, this.options.baseTable, bucket, this.owner], {
      prepare: true,
    });
  }
}
