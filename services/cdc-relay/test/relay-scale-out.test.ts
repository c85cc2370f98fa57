import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@scylla-es/es-core/testing';
import type { Client } from 'cassandra-driver';
import { collect, duplicates, killed, missingOrOutOfOrder, relayFixture, spawnRelay, type RelayFixture } from './support/relay-fixture';
import { steadyLoad } from './support/load';

async function leaseOwners(client: Client, keyspace: string): Promise<Map<number, string>> {
  const result = await client.execute(`SELECT bucket, owner FROM ${keyspace}.cdc_lease_buckets WHERE consumer = 'cdc-relay' AND base_table = 'event_store'`);
  return new Map(result.rows.map((row) => [row.get('bucket') as number, row.get('owner') as string]));
}

// Up to 40 s for the leases to settle, 40 s for a takeover and 90 s for the last events: more than Jest's default.
jest.setTimeout(240_000);

describe('several cdc-relay instances', () => {
  let fixture: RelayFixture;
  afterEach(async () => fixture.drop());

  it.each([2, 3])('share the stream groups among %i instances, and the survivors take over a killed one', async (instances) => {
    fixture = await relayFixture(`relayscale${instances}`);
    const events = await collect(fixture.kafka, fixture.topic);
    const relays = Array.from({ length: instances }, () => spawnRelay(fixture.env()));
    const load = steadyLoad(fixture, 12);
    try {
      // 16 groups in (at most 32) buckets: every bucket gets exactly one owner (the lease table's primary key makes
      // two impossible), spread over all.
      await eventually(async () => {
        const owners = await leaseOwners(fixture.client, fixture.keyspace);
        expect(owners.size).toBe(16);
        expect(new Set(owners.values()).size).toBe(instances);
      }, 40_000, 500);

      const victim = relays.shift()!;
      await killed(victim);
      await eventually(async () => {
        const owners = await leaseOwners(fixture.client, fixture.keyspace);
        expect(owners.size).toBe(16);
        expect(new Set(owners.values()).size).toBe(instances - 1);
      }, 40_000, 500);
      await sleep(2_000);
      await load.stop();
      await eventually(() => expect(events.received.length).toBeGreaterThanOrEqual(load.total()), 90_000, 250);
      await sleep(3_000);
    } finally {
      await load.stop();
      await Promise.all(relays.map(killed));
      await events.stop();
    }
    expect(missingOrOutOfOrder(events.received, load.versions)).toEqual([]);
    const redelivered = duplicates(events.received);
    console.log(`${instances} instances, one killed: ${load.total()} events, ${redelivered} redelivered`);
    // Two instances reading one group would publish its events twice throughout; only the killed instance's
    // last unacknowledged windows may come again.
    expect(redelivered).toBeLessThan(load.total() / 10);
  });
});
