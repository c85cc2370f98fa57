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
      acquire: async (bucket) => {
        if (owners.has(bucket)) return false;
        owners.set(bucket, owner);
        return true;
      },
      renew: async (buckets) => buckets.filter((bucket) => owners.get(bucket) === owner),
      release: async (bucket) => {
        if (owners.get(bucket) === owner) owners.delete(bucket);
      },
    };
  }

  expire(bucket: number): void {
    this.owners.delete(bucket);
  }

  ownerOf(bucket: number): string | undefined {
    return this.owners.get(bucket);
  }
}
