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

  it('remembers nothing with no capacity', () => {
    const recent = new RecentEvents(0);
    recent.add('a');
    expect(recent.has('a')).toBe(false);
  });
});
