import { InMemoryLeaseTable } from '../testing';
import type { StreamGroup } from './cdc-ports';
import { LeaseBalancer } from './lease-balancer';

const groups: StreamGroup[] = [1, 2, 3, 4].map((id) => ({ id, streams: [Buffer.alloc(16, id)] }));

describe('sharing stream groups between the instances of a consumer', () => {
  it('takes every free group while alone, and half of them once a second instance joined', async () => {
    const table = new InMemoryLeaseTable();
    const a = new LeaseBalancer(table.storeFor('a'));
    const b = new LeaseBalancer(table.storeFor('b'));
    await a.rebalance(groups);
    expect(a.ownedGroups()).toEqual([1, 2, 3, 4]);
    await b.rebalance(groups);
    expect(b.ownedGroups()).toEqual([]);
    await a.rebalance(groups);
    await b.rebalance(groups);
    expect(a.ownedGroups()).toEqual([1, 2]);
    expect(b.ownedGroups()).toEqual([3, 4]);
    expect(groups.map((group) => table.ownerOf(group.id))).toEqual(['a', 'a', 'b', 'b']);
  });

  it('stops owning a group whose lease it could not renew', async () => {
    const table = new InMemoryLeaseTable();
    const a = new LeaseBalancer(table.storeFor('a'));
    await a.rebalance(groups);
    table.expire(2);
    const thief = table.storeFor('thief');
    await thief.acquire(2);
    await a.rebalance(groups);
    expect(a.owns(2)).toBe(false);
    expect(a.ownedGroups()).toEqual([1, 3, 4]);
  });

  it('hands its groups to the others at once when it leaves', async () => {
    const table = new InMemoryLeaseTable();
    const a = new LeaseBalancer(table.storeFor('a'));
    const b = new LeaseBalancer(table.storeFor('b'));
    await a.rebalance(groups);
    await b.rebalance(groups);
    await a.rebalance(groups);
    expect(a.ownedGroups()).toEqual([1, 2]);
    await a.leave();
    expect(groups.map((group) => table.ownerOf(group.id))).toEqual([undefined, undefined, undefined, undefined]);
    await b.rebalance(groups);
    expect(b.ownedGroups()).toEqual([1, 2, 3, 4]);
  });
});
