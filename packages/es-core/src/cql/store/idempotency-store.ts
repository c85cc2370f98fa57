import type { Client } from 'cassandra-driver';

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyClaim =
  /** First time this key is seen: execute the request, then `complete` or `forget`. */
  | { readonly kind: 'claimed' }
  /** The request already completed: answer with its response, execute nothing. */
  | { readonly kind: 'completed'; readonly response: StoredResponse }
  /** Another request with this key is running (or died recently): the caller should retry later. */
  | { readonly kind: 'in-progress'; readonly aggregateId: string | null; readonly startedAt: Date }
  /** The key was used with a different request: a client bug, never served from the cache. */
  | { readonly kind: 'mismatch' };

/**
 * Idempotency-Key records (24 h). A claim is a lightweight transaction, so two concurrent retries of one
 * request cannot both execute it. The events appended by the request carry the key as their command id,
 * which lets a caller recover the outcome of a claim whose holder died before `complete`.
 */
export class IdempotencyStore {
  private readonly statements;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    const table = `${keyspace}.command_idempotency`;
    this.statements = {
      claim: `INSERT INTO ${table} (idempotency_key, request_fingerprint, aggregate_id, status, created_at)
        VALUES (?, ?, ?, 'pending', ?) IF NOT EXISTS`,
      takeOver: `UPDATE ${table} SET created_at = ? WHERE idempotency_key = ? IF status = 'pending' AND created_at = ?`,
      complete: `UPDATE ${table} SET status = 'completed', response_status = ?, response_body = ? WHERE idempotency_key = ?`,
      forget: `DELETE FROM ${table} WHERE idempotency_key = ? IF status = 'pending'`,
    };
  }

  async claim(key: string, fingerprint: string, aggregateId: string | null): Promise<IdempotencyClaim> {
    const result = await this.client.execute(this.statements.claim, [key, fingerprint, aggregateId, new Date()], {
      prepare: true,
    });
    if (result.wasApplied()) return { kind: 'claimed' };
    const row = result.first();
    if (row.get('request_fingerprint') !== fingerprint) return { kind: 'mismatch' };
    if (row.get('status') === 'completed') {
      return {
        kind: 'completed',
        response: { status: row.get('response_status') as number, body: JSON.parse(row.get('response_body') as string) },
      };
    }
    return { kind: 'in-progress', aggregateId: row.get('aggregate_id') as string | null, startedAt: row.get('created_at') as Date };
  }

  /** Takes over a pending claim whose holder is presumed dead; exactly one caller wins. */
  async takeOver(key: string, startedAt: Date): Promise<boolean> {
    const result = await this.client.execute(this.statements.takeOver, [new Date(), key, startedAt], { prepare: true });
    return result.wasApplied();
  }

  async complete(key: string, response: StoredResponse): Promise<void> {
    await this.client.execute(this.statements.complete, [response.status, JSON.stringify(response.body), key], {
      prepare: true,
    });
  }

  /** Drops a claim whose request failed in a way worth retrying (e.g. an engine outage). */
  async forget(key: string): Promise<void> {
    await this.client.execute(this.statements.forget, [key], { prepare: true });
  }
}
