import { randomUUID } from 'node:crypto';
import { EventSourcingError } from '@scylla-es/es-core';
import { types, type Client } from 'cassandra-driver';

/**
 * 409 with Retry-After: another change of the message (a replay, a discard, a dead letter being stored) holds
 * its lock right now. Retrying shortly sees the outcome.
 */
export class MessageBusyError extends EventSourcingError {
  readonly status = 409;
  constructor(readonly id: string) {
    super('message-busy', `message ${id} is being changed by another request; retry shortly`, { id });
  }
}

/**
 * One change at a time per message, across every instance: the message row's `lock_owner` cell, taken with a
 * lightweight transaction and held under a TTL so a holder that dies cannot keep it. Only these transactions write
 * the cell; everything else in the row is written by plain batches, so the two never race on one cell.
 */
export class MessageLocks {
  private readonly acquireStatement: string;
  private readonly releaseStatement: string;

  constructor(
    private readonly client: Client,
    keyspace: string,
    private readonly ttlSeconds: number,
  ) {
    this.acquireStatement = `UPDATE ${keyspace}.dlq_messages USING TTL ? SET lock_owner = ? WHERE id = ? IF lock_owner = null`;
    this.releaseStatement = `UPDATE ${keyspace}.dlq_messages SET lock_owner = null WHERE id = ? IF lock_owner = ?`;
  }

  /** Runs `change` holding the message's lock; throws MessageBusyError when another change holds it. */
  async withLock<T>(id: string, change: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const taken = await this.client.execute(this.acquireStatement, [this.ttlSeconds, owner, id], {
      prepare: true,
      serialConsistency: types.consistencies.localSerial,
      consistency: types.consistencies.localQuorum,
    });
    if (!taken.wasApplied()) throw new MessageBusyError(id);
    try {
      return await change();
    } finally {
      // Not released (the database is down): the TTL frees it.
      await this.client
        .execute(this.releaseStatement, [id, owner], {
          prepare: true,
          serialConsistency: types.consistencies.localSerial,
          consistency: types.consistencies.localQuorum,
        })
        .catch(() => undefined);
    }
  }
}
