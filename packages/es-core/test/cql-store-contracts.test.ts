import { CqlEventStore, CqlSnapshotStore } from '../src/cql';
import { eventStoreContract, migratedKeyspace, snapshotStoreContract, type TestKeyspace } from '../src/testing';

let keyspace: Promise<TestKeyspace> | undefined;
const sharedKeyspace = (): Promise<TestKeyspace> => (keyspace ??= migratedKeyspace('contracts'));
afterAll(async () => (await keyspace)?.drop());

eventStoreContract('CQL', async (upcastingFor) => {
  const { client, keyspace: name } = await sharedKeyspace();
  return new CqlEventStore(client, name, upcastingFor);
});
snapshotStoreContract('CQL', async () => {
  const { client, keyspace: name } = await sharedKeyspace();
  return new CqlSnapshotStore(client, name);
});
