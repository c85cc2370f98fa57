import { createBearerAuth } from './auth';
import { expandScopes } from './scopes';

describe('bearer auth', () => {
  const auth = createBearerAuth({
    tokens: new Map([
      ['reader-token-0123456789', ['read'] as const],
      ['admin-token-0123456789', ['admin'] as const],
      ['named-token-0123456789', { name: 'alice', scopes: ['write'] as const }],
    ]),
  });

  it('nests scopes: admin ⊇ write ⊇ read', () => {
    expect([...expandScopes(['admin'])]).toEqual(['read', 'write', 'admin']);
    expect([...expandScopes(['write'])]).toEqual(['read', 'write']);
    expect([...expandScopes(['read', 'write'])]).toEqual(['read', 'write']);
    expect([...expandScopes([])]).toEqual([]);
  });

  it('authenticates a configured token, whatever the case of the scheme', () => {
    expect(auth.authenticate('Bearer admin-token-0123456789')?.scopes.has('admin')).toBe(true);
    expect(auth.authenticate('bearer reader-token-0123456789')?.scopes).toEqual(new Set(['read']));
  });

  it('identifies the caller by a fingerprint, never by the token', () => {
    const principal = auth.authenticate('Bearer admin-token-0123456789');
    expect(principal?.id).toMatch(/^token:[0-9a-f]{12}$/);
    expect(principal?.id).not.toContain('admin-token');
    expect(principal?.name).toBe(principal?.id);
  });

  it('names the caller as configured, still identified by the fingerprint', () => {
    const principal = auth.authenticate('Bearer named-token-0123456789');
    expect(principal).toMatchObject({ name: 'alice', id: expect.stringMatching(/^token:[0-9a-f]{12}$/) });
    expect(principal?.scopes).toEqual(new Set(['read', 'write']));
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer admin-token-012345678',
    'Bearer admin-token-0123456789x',
    'Basic admin-token-0123456789',
    'Bearer admin-token-0123456789 extra',
  ])('rejects %p', (header) => {
    expect(auth.authenticate(header)).toBeUndefined();
  });
});
