import { eventStoreContract } from './contracts/event-store-contract';
import { snapshotStoreContract } from './contracts/snapshot-store-contract';
import { InMemoryEventStore } from './in-memory-event-store';
import { InMemorySnapshotStore } from './in-memory-snapshot-store';

eventStoreContract('in-memory', (upcastingFor) => new InMemoryEventStore(upcastingFor));
snapshotStoreContract('in-memory', () => new InMemorySnapshotStore());
