import { InMemoryLeaseTable } from '../testing';
import type { StreamGroup } from './cdc-ports';
import { LeaseBalancer } from './lease-balancer';

// Eight groups in four buckets: bucket b holds groups b and b + 4.
const groups: StreamGroup[] = [0, 1, 2, 3, 4, 5, 6, 7].map((id) => ({ id, streams: [Buffer.alloc(16, id)] }));
const BUCKETS = 4;
const ownedGroups = (balancer: LeaseBalancer) => groups.filter((group) => balancer.owns(group.id)).map((group) => group.id);

describe('sharing stream groups between the instances of a consumer, in lease buckets', () => {
  it('takes every bucket while alone, and half of them once a second instance joined', async () => {
    const table = new InMemoryLeaseTable();
    const a = new LeaseBalancer(table.storeFor('a'), BUCKETS);
    const b = new LeaseBalancer(table.storeFor('b'), BUCKETS);
    await a.rebalance(groups);
    expect(a.ownedBuckets()).toEqual([0, 1, 2, 3]);
    expect(ownedGroups(a)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await b.rebalance(groups);
    expect(b.ownedBuckets()).toEqual([]);
    await a.rebalance(groups);
    await b.rebalance(groups);
    expect(ownedGroups(a)).toEqual([0, 1, 4, 5]);
    expect(ownedGroups(b)).toEqual([2, 3, 6, 7]);
    expect(groups.map((group) => b.ownerOf(group.id))).toEqual(['a', 'a', 'b', 'b', 'a', 'a', 'b', 'b']);
  });

  it('shares only the buckets that hold groups when there are fewer groups than buckets', async () => {
    const table = new InMemoryLeaseTable();
    const few = groups.slice(0, 2);
    const a = new LeaseBalancer(table.storeFor('a'), 32);
    const b = new LeaseBalancer(table.storeFor('b'), 32);
    await a.rebalance(few);
    await b.rebalance(few);
    await a.rebalance(few);
    await b.rebalance(few);
    expect([a.ownedBuckets(), b.ownedBuckets()]).toEqual([[0], [1]]);
  });

  it('stops owning the groups of a bucket whose lease it could not renew', async () => {
    const table = new InMemoryLeaseTable();
    const a = new LeaseBalancer(table.storeFor('a'), BUCKETS);
    await a.rebalance(groups);
    table.expire(2);
    const thief = table.storeFor('thief');
    await thief.acquire(2);
    await a.rebalance(groups);
    expect(a.owns(2)).toBe(false);
    expect(a.owns(6)).toBe(false);
    expect(ownedGroups(a)).toEqual([0, 1, 3, 4, 5, 7]);
  });

  it('hands its buckets to the others at once when it leaves', async () => {
    const table = new InMemoryLeaseTable();
    const a = new LeaseBalancer(table.storeFor('a'), BUCKETS);
    const b = new LeaseBalancer(table.storeFor('b'), BUCKETS);
    await a.rebalance(groups);
    await b.rebalance(groups);
    await a.rebalance(groups);
    expect(a.ownedBuckets()).toEqual([0, 1]);
    await a.leave();
    expect([0, 1, 2, 3].map((bucket) => table.ownerOf(bucket))).toEqual([undefined, undefined, undefined, undefined]);
    await b.rebalance(groups);
    expect(ownedGroups(b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
