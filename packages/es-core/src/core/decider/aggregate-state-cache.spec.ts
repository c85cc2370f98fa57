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

  it('agrees with a plain least-recently-used list over thousands of random gets and remembers', () => {
    const capacity = 5;
    const cache = new AggregateStateCache(capacity);
    const reference: { id: string; version: number }[] = []; // least recently used first
    let seed = 7;
    const random = (below: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % below;
    for (let step = 0; step < 5_000; step++) {
      const id = `a${random(9)}`;
      const at = reference.findIndex((entry) => entry.id === id);
      if (random(2) === 0) {
        expect(cache.get('Order', id)?.version).toBe(reference[at]?.version);
        if (at >= 0) reference.push(...reference.splice(at, 1));
      } else {
        const version = random(20);
        cache.remember('Order', id, { state: id, version });
        const kept = at >= 0 ? (reference.splice(at, 1)[0] as { id: string; version: number }) : undefined;
        reference.push({ id, version: Math.max(version, kept?.version ?? -1) });
        if (reference.length > capacity) reference.shift();
      }
      expect(cache.size).toBe(reference.length);
    }
  });

  it('holds nothing with a capacity of 0', () => {
    const cache = new AggregateStateCache(0);
    cache.remember('Order', 'a', { state: 'a', version: 1 });
    expect(cache.get('Order', 'a')).toBeUndefined();
  });
});
