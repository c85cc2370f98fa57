import type { StreamGroup } from './cdc-ports';
import { batchWindows, type GroupWindow } from './window-batches';

const groupOf = (id: number, streams: number): StreamGroup => ({ id, streams: Array.from({ length: streams }, (_, index) => Buffer.from([id, index])) });
const windowOf = (group: StreamGroup, from: number, to: number): GroupWindow => ({ group, plan: { from, to, behind: false, endsGeneration: false } });
const idsOf = (batches: ReturnType<typeof batchWindows>) => batches.map((batch) => [batch.from, batch.to, batch.windows.map(({ group }) => group.id)]);

describe('batching the due windows of stream groups', () => {
  it('reads groups with the same window together, up to the streams of one query', () => {
    const windows = [1, 2, 3, 4, 5].map((id) => windowOf(groupOf(id, 8), 100, 200));
    expect(idsOf(batchWindows(windows, 32))).toEqual([
      [100, 200, [1, 2, 3, 4]],
      [100, 200, [5]],
    ]);
  });

  it('keeps groups at different positions or window ends apart', () => {
    const windows = [windowOf(groupOf(1, 2), 100, 200), windowOf(groupOf(2, 2), 150, 200), windowOf(groupOf(3, 2), 100, 200), windowOf(groupOf(4, 2), 100, 190)];
    expect(idsOf(batchWindows(windows, 32))).toEqual([
      [100, 200, [1, 3]],
      [150, 200, [2]],
      [100, 190, [4]],
    ]);
  });

  it('reads a group with more streams than one query alone', () => {
    const windows = [windowOf(groupOf(1, 4), 0, 10), windowOf(groupOf(2, 40), 0, 10), windowOf(groupOf(3, 4), 0, 10)];
    expect(idsOf(batchWindows(windows, 32))).toEqual([
      [0, 10, [1]],
      [0, 10, [2]],
      [0, 10, [3]],
    ]);
  });
});
