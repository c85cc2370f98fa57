import { requestFingerprint } from './request-fingerprint';

const base = { method: 'POST', path: '/orders', body: { a: 1, b: { c: [1, 2] } }, ifMatch: undefined, principalId: 'token:1' };

describe('requestFingerprint', () => {
  it('ignores key order and the method’s case', () => {
    expect(requestFingerprint({ ...base, method: 'post', body: { b: { c: [1, 2] }, a: 1 } })).toBe(requestFingerprint(base));
  });

  it.each([
    ['path', { path: '/orders/x' }],
    ['body', { body: { a: 2, b: { c: [1, 2] } } }],
    ['array order', { body: { a: 1, b: { c: [2, 1] } } }],
    ['If-Match', { ifMatch: '"3"' }],
    ['caller', { principalId: 'token:2' }],
  ])('differs with the %s', (_name, change) => {
    expect(requestFingerprint({ ...base, ...change })).not.toBe(requestFingerprint(base));
  });
});
