import { AggregateStateCache } from './aggregate-state-cache';

describe('AggregateStateCache', () => {
  it('keeps the newest state of an aggregate, whatever order they arrive in', () => {
    const cache = new AggregateStateCache(10);
    cache.remember('Order', 'o-1', { state: 'v3', version: 3 });
    cache.remember('Order', 'o-1', { state: 'v2', version: 2 });
    expect(cache.get('Order', 'o-1')).toEqual({ state: 'v3', version: 3 });
    cache.remember('Order', 'o-1', { state: 'v4', version: 4 });
    expect(cache.get('Order', 'o-1')).toEqual({ state: 'v4', version: 4 });
  });

  it('evicts the least recently used state beyond its capacity', () => {
    const cache = new AggregateStateCache(2);
    cache.remember('Order', 'a', { state: 'a', version: 1 });
    cache.remember('Order', 'b', { state: 'b', version: 1 });
    cache.get('Order', 'a');
    cache.remember('Order', 'c', { state: 'c', version: 1 });
    expect(cache.get('Order', 'b')).toBeUndefined();
    expect(cache.get('Order', 'a')).toBeDefined();
    expect(cache.get('Order', 'c')).toBeDefined();
    expect(cache.size).toBe(2);
  });

  it('tells aggregate types apart, even when type and id could be glued together the same way', () => {
    const cache = new AggregateStateCache(10);
    cache.remember('Order', 'x', { state: 'order', version: 1 });
    cache.remember('Orde', 'rx', { state: 'orde', version: 1 });
    expect(cache.get('Order', 'x')?.state).toBe('order');
    expect(cache.get('Customer', 'x')).toBeUndefined();
  });

  it('holds nothing with a capacity of 0', () => {
    const cache = new AggregateStateCache(0);
    cache.remember('Order', 'a', { state: 'a', version: 1 });
    expect(cache.get('Order', 'a')).toBeUndefined();
  });
});
