import { idFromIdempotencyKey } from './deterministic-id';

describe('idFromIdempotencyKey', () => {
  it('is a stable RFC 9562 version-5 UUID per aggregate type and key', () => {
    const id = idFromIdempotencyKey('Order', 'key-1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(idFromIdempotencyKey('Order', 'key-1')).toBe(id);
    expect(idFromIdempotencyKey('Order', 'key-2')).not.toBe(id);
    expect(idFromIdempotencyKey('Customer', 'key-1')).not.toBe(id);
  });
});
