import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so `{a, b}` and `{b, a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface FingerprintInput {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly ifMatch: string | undefined;
  /** The caller: one client's key must never replay another client's response. */
  readonly principalId: string | undefined;
}

/** What makes two deliveries "the same request" for an Idempotency-Key. */
export function requestFingerprint(input: FingerprintInput): string {
  const canonical = canonicalJson([
    input.method.toUpperCase(),
    input.path,
    input.body ?? null,
    input.ifMatch ?? null,
    input.principalId ?? null,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
