import type { Client } from 'cassandra-driver';
import { EventSourcingError } from '../../core/errors/domain-errors';

/** The value is held by another aggregate (HTTP 409). */
export class UniqueValueTakenError extends EventSourcingError {
  readonly status = 409;
  constructor(
    readonly scope: string,
    readonly value: string,
  ) {
    super(`${scope}-already-taken`, `${scope} "${value}" is already taken`, { scope, value });
  }
}

export interface UniqueValueOptions {
  /**
   * Does the reservation's owner still hold the value? False when the owner never came to exist (its append
   * failed after the reservation) or has since moved to another value without releasing this one (a crash).
   */
  readonly ownerStillHolds: (ownerId: string, value: string) => Promise<boolean>;
  /** A young reservation may belong to an append still in flight: never reclaim it before this age. */
  readonly reclaimAfterMs?: number;
}

/**
 * Uniqueness across aggregates (e.g. customer email), which no single-partition transaction can give:
 * reserve the value with a lightweight transaction BEFORE appending, release it when the append fails.
 */
export class UniqueValues {
  private readonly reclaimAfterMs: number;
  private readonly statements;

  constructor(
    private readonly client: Client,
    keyspace: string,
    private readonly options: UniqueValueOptions,
  ) {
    this.reclaimAfterMs = options.reclaimAfterMs ?? 30_000;
    const table = `${keyspace}.unique_values`;
    this.statements = {
      reserve: `INSERT INTO ${table} (scope, value, owner_id, reserved_at) VALUES (?, ?, ?, ?) IF NOT EXISTS`,
      reclaim: `UPDATE ${table} SET owner_id = ?, reserved_at = ? WHERE scope = ? AND value = ? IF owner_id = ?`,
      release: `DELETE FROM ${table} WHERE scope = ? AND value = ? IF owner_id = ?`,
    };
  }

  /** Reserves `value` for `ownerId`; idempotent for the same owner; throws UniqueValueTakenError otherwise. */
  async reserve(scope: string, value: string, ownerId: string): Promise<void> {
    const result = await this.client.execute(this.statements.reserve, [scope, value, ownerId, new Date()], { prepare: true });
    if (result.wasApplied()) return;
    const holder = result.first();
    const currentOwner = holder.get('owner_id') as string;
    if (currentOwner === ownerId) return;
    const reservedAt = holder.get('reserved_at') as Date | null;
    const old = !reservedAt || Date.now() - reservedAt.getTime() > this.reclaimAfterMs;
    if (old && !(await this.options.ownerStillHolds(currentOwner, value))) {
      const reclaimed = await this.client.execute(
        this.statements.reclaim,
        [ownerId, new Date(), scope, value, currentOwner],
        { prepare: true },
      );
      if (reclaimed.wasApplied()) return;
    }
    throw new UniqueValueTakenError(scope, value);
  }

  /** Gives the value up, only if `ownerId` still holds it. */
  async release(scope: string, value: string, ownerId: string): Promise<void> {
    await this.client.execute(this.statements.release, [scope, value, ownerId], { prepare: true });
  }
}
