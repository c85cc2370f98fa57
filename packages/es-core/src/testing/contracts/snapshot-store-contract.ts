/// <reference types="jest" />
import { randomUUID } from 'node:crypto';
import type { SnapshotStore } from '../../core/ports/snapshot-store';

/** What every SnapshotStore promises, run against each implementation. Aggregate ids are fresh per test. */
export function snapshotStoreContract(implementation: string, createStore: () => Promise<SnapshotStore> | SnapshotStore): void {
  describe(`the ${implementation} snapshot store, as every snapshot store`, () => {
    let store: SnapshotStore;
    beforeAll(async () => {
      store = await createStore();
    });

    it('has no snapshot of an aggregate never saved', async () => {
      expect(await store.latest('Counter', randomUUID())).toBeUndefined();
    });

    it('answers the newest snapshot at or below a sequence, its state as saved', async () => {
      const id = randomUUID();
      await store.save('Counter', id, { sequence: 10, stateVersion: 1, state: { total: 10, names: ['a'] } });
      await store.save('Counter', id, { sequence: 20, stateVersion: 2, state: { total: 20, names: ['a', 'b'] } });
      expect(await store.latest('Counter', id)).toEqual({ sequence: 20, stateVersion: 2, state: { total: 20, names: ['a', 'b'] } });
      expect(await store.latest('Counter', id, 19)).toEqual({ sequence: 10, stateVersion: 1, state: { total: 10, names: ['a'] } });
      expect(await store.latest('Counter', id, 9)).toBeUndefined();
    });

    it('replaces a snapshot saved again at the same sequence', async () => {
      const id = randomUUID();
      await store.save('Counter', id, { sequence: 5, stateVersion: 1, state: { total: 1 } });
      await store.save('Counter', id, { sequence: 5, stateVersion: 1, state: { total: 2 } });
      expect(await store.latest('Counter', id)).toMatchObject({ state: { total: 2 } });
    });

    it('counts a snapshot of another aggregate type under the same id as none', async () => {
      const id = randomUUID();
      await store.save('Counter', id, { sequence: 3, stateVersion: 1, state: { total: 3 } });
      expect(await store.latest('Order', id)).toBeUndefined();
    });
  });
}
