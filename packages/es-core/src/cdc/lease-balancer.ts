import type { LeaseStore, StreamGroup } from './cdc-ports';

/**
 * Which stream groups this instance reads. Groups are leased in buckets (group id modulo the bucket count, the
 * same on every instance), so the lease work of an instance does not grow with the ring: a cluster of 768 vnode
 * groups and 32 buckets renews 32 leases, not 768. Keeps about (non-empty buckets ÷ live instances) leases:
 * renews its own (dropping any it lost), gives up extras when instances joined, takes free buckets when
 * instances left.
 */
export class LeaseBalancer {
  private readonly owned = new Set<number>();
  private owners = new Map<number, string>();

  constructor(
    private readonly leases: LeaseStore,
    private readonly buckets: number,
  ) {}

  get instanceId(): string {
    return this.leases.owner;
  }

  bucketOf(groupId: number): number {
    return groupId % this.buckets;
  }

  /** Whether this instance holds the lease of the group's bucket: a window of a group it lost must not be checkpointed. */
  owns(groupId: number): boolean {
    return this.owned.has(this.bucketOf(groupId));
  }

  ownedBuckets(): readonly number[] {
    return [...this.owned];
  }

  /** Who held the lease of the group's bucket at the last rebalance. */
  ownerOf(groupId: number): string | undefined {
    return this.owners.get(this.bucketOf(groupId));
  }

  async rebalance(groups: readonly StreamGroup[]): Promise<void> {
    // Only buckets holding groups count: with fewer groups than buckets, empty ones would skew the shares.
    const buckets = [...new Set(groups.map((group) => this.bucketOf(group.id)))].sort((a, b) => a - b);
    const members = await this.leases.heartbeat();
    const fairShare = Math.ceil(buckets.length / Math.max(1, members.length));
    if (this.owned.size > 0) {
      const kept = new Set(await this.leases.renew([...this.owned]));
      for (const bucket of [...this.owned]) if (!kept.has(bucket)) this.owned.delete(bucket);
    }
    for (const bucket of [...this.owned].slice(fairShare)) {
      this.owned.delete(bucket);
      await this.leases.release(bucket);
    }
    this.owners = await this.leases.owners();
    for (const bucket of buckets) {
      if (this.owned.size >= fairShare) break;
      if (!this.owners.has(bucket) && (await this.leases.acquire(bucket))) this.owned.add(bucket);
    }
    this.owners = await this.leases.owners();
  }

  /** Releases every lease and leaves the membership, so the other instances take the buckets at once. */
  async leave(): Promise<void> {
    await Promise.all([...this.owned].map((bucket) => this.leases.release(bucket)));
    await this.leases.leave();
    this.owned.clear();
  }
}
