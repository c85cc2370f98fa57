import { RecentEvents } from './recent-events';

describe('recently published event ids', () => {
  it('remembers ids up to its capacity, forgetting the oldest first', () => {
    const recent = new RecentEvents(2);
    recent.add('a');
    recent.add('b');
    expect(recent.has('a')).toBe(true);
    recent.add('c');
    expect([recent.has('a'), recent.has('b'), recent.has('c')]).toEqual([false, true, true]);
  });

  it('forgets in the order ids were first added, however often one is added again', () => {
    const recent = new RecentEvents(3);
    for (const id of ['a', 'b', 'a', 'c', 'b', 'd']) recent.add(id);
    expect(['a', 'b', 'c', 'd'].map((id) => recent.has(id))).toEqual([false, true, true, true]);
    for (let index = 0; index < 1_000; index++) recent.add(`e${index}`);
    expect([recent.has('e996'), recent.has('e997'), recent.has('e999'), recent.has('d')]).toEqual([false, true, true, false]);
  });

  it('remembers nothing with no capacity', () => {
    const recent = new RecentEvents(0);
    recent.add('a');
    expect(recent.has('a')).toBe(false);
  });
});
