import { types, type Client } from 'cassandra-driver';
import type { Generation, GenerationSource, StreamGroup } from './cdc-ports';
import { vnodeIndexOf } from './stream-id';

/**
 * Reads ScyllaDB's CDC generation metadata (vnode keyspaces): `cdc_generation_timestamps` lists the
 * generations, `cdc_streams_descriptions_v2` their streams per vnode range. The streams are written before
 * the timestamp, so a generation is only read once its timestamp is visible.
 */
export class CqlGenerationSource implements GenerationSource {
  private consistency: number | undefined;

  constructor(
    private readonly client: Client,
    private readonly metadataKeyspace = 'system_distributed',
  ) {}

  async generations(): Promise<Generation[]> {
    const consistency = await this.metadataConsistency();
    const timestamps = await this.client.execute(
      `SELECT time FROM ${this.metadataKeyspace}.cdc_generation_timestamps WHERE key = 'timestamps'`,
      [],
      { prepare: true, consistency },
    );
    const times = timestamps.rows.map((row) => row.get('time') as Date).sort((a, b) => a.getTime() - b.getTime());
    return Promise.all(times.map(async (time) => ({ time, groups: await this.streamGroups(time, consistency) })));
  }

  private async streamGroups(time: Date, consistency: number): Promise<StreamGroup[]> {
    const result = await this.client.execute(
      `SELECT streams FROM ${this.metadataKeyspace}.cdc_streams_descriptions_v2 WHERE time = ?`,
      [time],
      { prepare: true, consistency, fetchSize: 10_000 },
    );
    const byVnode = new Map<number, Buffer[]>();
    for (const row of result.rows) {
      for (const stream of row.get('streams') as Buffer[]) {
        const vnode = vnodeIndexOf(stream);
        byVnode.set(vnode, [...(byVnode.get(vnode) ?? []), stream]);
      }
    }
    return [...byVnode.entries()].sort(([a], [b]) => a - b).map(([id, streams]) => ({ id, streams }));
  }

  /** QUORUM on a multi-node cluster, ONE on a single node (as ScyllaDB's libraries do). */
  private async metadataConsistency(): Promise<number> {
    if (this.consistency === undefined) {
      const peers = await this.client.execute('SELECT peer FROM system.peers', [], { prepare: true });
      this.consistency = peers.rowLength > 0 ? types.consistencies.quorum : types.consistencies.one;
    }
    return this.consistency;
  }
}
