import type { LeaseStore } from '../../cdc/cdc-ports';

/**
 * One consumer's leases and live members in memory, shared by the instances a spec creates with `storeFor`.
 * `expire` plays a lease running out (an instance that stopped renewing in time).
 */
export class InMemoryLeaseTable {
  private readonly owners = new Map<number, string>();
  private readonly members = new Set<string>();

  storeFor(owner: string): LeaseStore {
    const { owners, members } = this;
    return {
      owner,
      heartbeat: async () => {
        members.add(owner);
        return [...members];
      },
      leave: async () => {
        members.delete(owner);
      },
      owners: async () => new Map(owners),
      acquire: async (groupId) => {
        if (owners.has(groupId)) return false;
        owners.set(groupId, owner);
        return true;
      },
      renew: async (groupId) => owners.get(groupId) === owner,
      release: async (groupId) => {
        if (owners.get(groupId) === owner) owners.delete(groupId);
      },
    };
  }

  expire(groupId: number): void {
    this.owners.delete(groupId);
  }

  ownerOf(groupId: number): string | undefined {
    return this.owners.get(groupId);
  }
}
