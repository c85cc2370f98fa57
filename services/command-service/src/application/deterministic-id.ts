import { createHash } from 'node:crypto';

/** Namespace of ids this service derives from Idempotency-Keys (a fixed, random UUID). */
const NAMESPACE = Buffer.from('6f1c2b9e4d7a4c55a2e8b3f09d1e7c42', 'hex');

/**
 * An RFC 9562 version-5 UUID (SHA-1 of namespace and name) for `aggregateType` + `key`: a create retried with the
 * same Idempotency-Key and no explicit id always addresses the same aggregate.
 */
export function idFromIdempotencyKey(aggregateType: string, key: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(`${aggregateType}\u0000${key}`, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
