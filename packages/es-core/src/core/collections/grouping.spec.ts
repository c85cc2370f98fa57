import { chunksWithin, groupedBy } from './grouping';

describe('groupedBy', () => {
  it("keeps each key's items in order, keys in order of first appearance", () => {
    const groups = groupedBy(['a1', 'b1', 'a2', 'c1', 'b2'], (item) => item[0] as string);
    expect([...groups.entries()]).toEqual([
      ['a', ['a1', 'a2']],
      ['b', ['b1', 'b2']],
      ['c', ['c1']],
    ]);
  });
});

describe('chunksWithin', () => {
  const weightOf = (item: number) => item;

  it('cuts before a chunk would outweigh the limit, and lets a heavier item form a chunk of its own', () => {
    expect(chunksWithin([3, 4, 2, 9, 1, 1], { maxWeight: 8, weightOf })).toEqual([[3, 4], [2], [9], [1, 1]]);
  });

  it('cuts at the most items', () => {
    expect(chunksWithin([1, 1, 1, 1, 1], { maxWeight: 100, weightOf, maxItems: 2 })).toEqual([[1, 1], [1, 1], [1]]);
  });

  it('makes no chunk of nothing', () => {
    expect(chunksWithin([], { maxWeight: 1, weightOf })).toEqual([]);
  });
});
