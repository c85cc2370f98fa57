/**
 * Bearer-token scopes. They nest: admin ⊇ write ⊇ read, so a token configured with `admin` may also write and
 * read. One ordered hierarchy keeps configuration short and leaves no "admin that cannot read" to explain.
 */
export const SCOPES = ['read', 'write', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The scopes a set of granted scopes implies (each grants itself and every scope below it). */
export function expandScopes(granted: Iterable<Scope>): ReadonlySet<Scope> {
  const highest = Math.max(-1, ...Array.from(granted, (scope) => SCOPES.indexOf(scope)));
  return new Set(SCOPES.slice(0, highest + 1));
}
