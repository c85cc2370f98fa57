import { eventually } from '@scylla-es/es-core/testing';
import type { Client } from 'cassandra-driver';
import { steadyLoad } from './support/load';
import { collect, duplicates, killed, missingOrOutOfOrder, relayFixture, spawnRelay, type RelayFixture } from './support/relay-fixture';
import { startRingNode, type RingNode } from './support/ring-node';

// A ring of its own (a node's vnodes are fixed at bootstrap): 64 vnode groups of 4 streams, in 32 lease buckets.
const RING = { vnodes: 64, shards: 4 };
const BUCKETS = 32;
const LEASE_TTL_SECONDS = 6;

async function bucketOwners(client: Client, keyspace: string): Promise<Map<number, string>> {
  const result = await client.execute(`SELECT bucket, owner FROM ${keyspace}.cdc_lease_buckets WHERE consumer = 'cdc-relay' AND base_table = 'event_store'`);
  return new Map(result.rows.map((row) => [row.get('bucket') as number, row.get('owner') as string]));
}

describe('three cdc-relay instances over a ring of 256 streams', () => {
  let node: RingNode;
  let fixture: RelayFixture;

  beforeAll(async () => {
    node = await startRingNode(RING);
    Object.assign(process.env, node.env); // the fixture's keyspace lives on this node
    fixture = await relayFixture('relayring');
  }, 900_000);

  afterAll(async () => {
    await fixture?.drop().catch(() => undefined); // the node and its data go anyway
    await node?.stop();
  }, 120_000);

  it("share the buckets, take a SIGKILLed one's buckets over within about a lease TTL, and publish everything in order", async () => {
    const events = await collect(fixture.kafka, fixture.topic);
    const env = fixture.env({
      ...node.env,
      CDC_LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS),
      CDC_LEASE_BUCKETS: String(BUCKETS),
      CDC_IDLE_AFTER_MS: '3000',
      CDC_IDLE_POLL_INTERVAL_MS: '1000',
    });
    const relays = Array.from({ length: 3 }, () => spawnRelay(env));
    const load = steadyLoad(fixture, 64);
    try {
      await eventually(async () => {
        const owners = await bucketOwners(fixture.client, fixture.keyspace);
        expect(owners.size).toBe(BUCKETS);
        expect(new Set(owners.values()).size).toBe(3);
      }, 90_000, 500);

      const killedAt = Date.now();
      await killed(relays.shift()!);
      // Its leases expire at most a TTL after its last renewal; a survivor's next lease round (every third of
      // the TTL) takes them. The time it took is printed; the bound only stops a test that would wait forever
      // (timings are the bench's business, and a busy machine stretches every lease round).
      await eventually(async () => {
        const owners = await bucketOwners(fixture.client, fixture.keyspace);
        expect(owners.size).toBe(BUCKETS);
        expect(new Set(owners.values()).size).toBe(2);
      }, 90_000, 200);
      console.log(`the killed relay's buckets were taken over ${Date.now() - killedAt} ms after the kill (lease TTL ${LEASE_TTL_SECONDS} s)`);

      await load.stop();
      // Redeliveries of the killed instance's last windows count once: wait for every distinct event.
      const distinct = () => new Set(events.received.map((event) => `${event.aggregateId}:${event.sequence}`)).size;
      await eventually(() => expect(distinct()).toBeGreaterThanOrEqual(load.total()), 120_000, 250);
    } finally {
      await load.stop();
      await Promise.all(relays.map(killed));
      await events.stop();
    }
    expect(missingOrOutOfOrder(events.received, load.versions)).toEqual([]);
    // Only the killed instance's last unacknowledged windows may come again.
    expect(duplicates(events.received)).toBeLessThan(load.total() / 10);
  }, 300_000);
});
