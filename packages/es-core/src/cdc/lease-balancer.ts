import type { LeaseStore, StreamGroup } from './cdc-ports';

/**
 * Which stream groups this instance reads. Keeps about (groups ÷ live instances) leases: renews its own
 * (dropping any it lost), gives up extras when instances joined, takes free groups when instances left.
 */
export class LeaseBalancer {
  private readonly owned = new Set<number>();
  private owners = new Map<number, string>();

  constructor(private readonly leases: LeaseStore) {}

  get instanceId(): string {
    return this.leases.owner;
  }

  /** Whether this instance holds the group's lease: a window of a group it lost must not be checkpointed. */
  owns(groupId: number): boolean {
    return this.owned.has(groupId);
  }

  ownedGroups(): readonly number[] {
    return [...this.owned];
  }

  /** Who held each group's lease at the last rebalance. */
  ownerOf(groupId: number): string | undefined {
    return this.owners.get(groupId);
  }

  async rebalance(groups: readonly StreamGroup[]): Promise<void> {
    const members = await this.leases.heartbeat();
    const fairShare = Math.ceil(groups.length / Math.max(1, members.length));
    for (const groupId of [...this.owned]) {
      if (!(await this.leases.renew(groupId))) this.owned.delete(groupId);
    }
    for (const groupId of [...this.owned].slice(fairShare)) {
      this.owned.delete(groupId);
      await this.leases.release(groupId);
    }
    this.owners = await this.leases.owners();
    for (const group of groups) {
      if (this.owned.size >= fairShare) break;
      if (!this.owners.has(group.id) && (await this.leases.acquire(group.id))) this.owned.add(group.id);
    }
    this.owners = await this.leases.owners();
  }

  /** Releases every lease and leaves the membership, so the other instances take the groups at once. */
  async leave(): Promise<void> {
    await Promise.all([...this.owned].map((groupId) => this.leases.release(groupId)));
    await this.leases.leave();
    this.owned.clear();
  }
}
