import { types, type Client } from 'cassandra-driver';
import type { RangeProgress } from '@scylla-es/es-core/cql';
import { COPIES, otherCopy, type Copy } from './copy';
import { PHASES, type Phase, type ProjectionCopies, type ProjectionName } from './projection-copies';

function copiesStatements(keyspace: string) {
  const copies = `${keyspace}.projection_copies`;
  const ranges = `${keyspace}.projection_rebuild_ranges`;
  return {
    ensure: `INSERT INTO ${copies} (projection, active, other, phase) VALUES (?, 'a', 'b', 'idle') IF NOT EXISTS`,
    select: `SELECT projection, active, other, phase, rebuild_id, requested_at, phase_since, range_count, lease_owner, lease_until
      FROM ${copies} WHERE projection = ?`,
    claim: `UPDATE ${copies} SET phase = 'clearing', rebuild_id = ?, requested_at = ?, phase_since = ?, range_count = ?,
      lease_owner = ?, lease_until = ? WHERE projection = ? IF phase = 'idle' AND active = ?`,
    advance: `UPDATE ${copies} SET phase = ?, phase_since = ?, active = ?, other = ? WHERE projection = ?
      IF rebuild_id = ? AND phase = ? AND lease_owner = ?`,
    finish: `UPDATE ${copies} SET phase = 'idle', phase_since = ?, rebuild_id = null, requested_at = null, range_count = null,
      lease_owner = null, lease_until = null WHERE projection = ? IF rebuild_id = ? AND phase = 'dropping' AND lease_owner = ?`,
    cancel: `UPDATE ${copies} SET phase = 'dropping', phase_since = ? WHERE projection = ? IF rebuild_id = ? AND phase = ?`,
    lease: `UPDATE ${copies} SET lease_owner = ?, lease_until = ? WHERE projection = ? IF rebuild_id = ? AND lease_owner = ?`,
    rangesOf: `SELECT range_start, range_end, last_token, done, streams, events FROM ${ranges} WHERE rebuild_id = ?`,
    saveRange: `INSERT INTO ${ranges} (rebuild_id, range_start, range_end, last_token, done, streams, events) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  } as const;
}

/** A range's persisted progress with what the rebuild put into the new copy from it so far. */
export interface RebuildRangeProgress extends RangeProgress {
  readonly streams: number;
  readonly events: number;
}

/** Why a conditional write did not apply: the row as it is now. */
export class CopiesChangedError extends Error {
  constructor(readonly current: ProjectionCopies) {
    super(`projection ${current.projection} is now ${current.phase} (rebuild ${current.rebuild?.id ?? 'none'})`);
    this.name = 'CopiesChangedError';
  }
}

/**
 * projection_copies and projection_rebuild_ranges. Every change of phase, claim and lease is a lightweight
 * transaction conditioned on what the writer believes, so two instances can never both drive one rebuild.
 */
export class CopiesTable {
  private readonly statements: ReturnType<typeof copiesStatements>;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.statements = copiesStatements(keyspace);
  }

  async ensure(projection: ProjectionName): Promise<void> {
    await this.client.execute(this.statements.ensure, [projection], { prepare: true });
  }

  async load(projection: ProjectionName): Promise<ProjectionCopies> {
    const result = await this.client.execute(this.statements.select, [projection], { prepare: true, consistency: types.consistencies.localQuorum });
    const row = result.first();
    return row ? copiesOfRow(projection, row) : { projection, active: 'a', other: 'b', phase: 'idle' };
  }

  /** Claims a rebuild of an idle projection, held by `owner`; CopiesChangedError when one is already under way. */
  async claim(current: ProjectionCopies, claim: { id: string; rangeCount: number; owner: string; leaseUntil: Date; now: Date }): Promise<ProjectionCopies> {
    const params = [types.Uuid.fromString(claim.id), claim.now, claim.now, claim.rangeCount, claim.owner, claim.leaseUntil, current.projection, current.active];
    await this.conditional(current.projection, this.statements.claim, params);
    return {
      ...current,
      phase: 'clearing',
      rebuild: { id: claim.id, requestedAt: claim.now, phaseSince: claim.now, rangeCount: claim.rangeCount, leaseOwner: claim.owner, leaseUntil: claim.leaseUntil },
    };
  }

  /** Moves the rebuild held by `owner` from its phase to `phase`, swapping the copies when `swap`. */
  async advance(current: ProjectionCopies, phase: Phase, owner: string, now: Date, swap = false): Promise<ProjectionCopies> {
    const rebuild = requireRebuild(current);
    const active = swap ? current.other : current.active;
    if (phase === 'idle') {
      await this.conditional(current.projection, this.statements.finish, [now, current.projection, uuid(rebuild.id), owner]);
      return { projection: current.projection, active, other: otherCopy(active), phase };
    }
    const params = [phase, now, active, otherCopy(active), current.projection, uuid(rebuild.id), current.phase, owner];
    await this.conditional(current.projection, this.statements.advance, params);
    return { ...current, phase, active, other: otherCopy(active), rebuild: { ...rebuild, phaseSince: now } };
  }

  /** Cancels a rebuild still in `current.phase`; the holder of its lease then drops the other copy. */
  async cancel(current: ProjectionCopies, now: Date): Promise<void> {
    const rebuild = requireRebuild(current);
    await this.conditional(current.projection, this.statements.cancel, [now, current.projection, uuid(rebuild.id), current.phase]);
  }

  /** Takes over (or renews) the rebuild's lease from `from` (undefined: nobody holds it). */
  async lease(current: ProjectionCopies, from: string | undefined, owner: string, until: Date): Promise<void> {
    const rebuild = requireRebuild(current);
    await this.conditional(current.projection, this.statements.lease, [owner, until, current.projection, uuid(rebuild.id), from ?? null]);
  }

  async rangesOf(rebuildId: string): Promise<RebuildRangeProgress[]> {
    const result = await this.client.execute(this.statements.rangesOf, [uuid(rebuildId)], { prepare: true, consistency: types.consistencies.localQuorum });
    return result.rows.map((row) => {
      const lastToken = row.get('last_token') as types.Long | null;
      return {
        range: { start: bigintOf(row.get('range_start') as types.Long), end: bigintOf(row.get('range_end') as types.Long) },
        ...(lastToken ? { lastToken: bigintOf(lastToken) } : {}),
        done: row.get('done') as boolean,
        streams: (row.get('streams') as types.Long).toNumber(),
        events: (row.get('events') as types.Long).toNumber(),
      };
    });
  }

  async saveRange(rebuildId: string, progress: RebuildRangeProgress): Promise<void> {
    const { range, lastToken, done, streams, events } = progress;
    const params = [uuid(rebuildId), longOf(range.start), longOf(range.end), lastToken === undefined ? null : longOf(lastToken), done, types.Long.fromNumber(streams), types.Long.fromNumber(events)];
    await this.client.execute(this.statements.saveRange, params, { prepare: true, consistency: types.consistencies.localQuorum });
  }

  private async conditional(projection: ProjectionName, query: string, params: unknown[]): Promise<void> {
    const result = await this.client.execute(query, params, { prepare: true });
    if (!result.wasApplied()) throw new CopiesChangedError(await this.load(projection));
  }
}

const uuid = (id: string): types.Uuid => types.Uuid.fromString(id);
const longOf = (value: bigint): types.Long => types.Long.fromString(value.toString());
const bigintOf = (value: types.Long): bigint => BigInt(value.toString());

function requireRebuild(copies: ProjectionCopies) {
  if (!copies.rebuild) throw new Error(`projection ${copies.projection} has no rebuild`);
  return copies.rebuild;
}

function copyOf(value: unknown, fallback: Copy): Copy {
  return (COPIES as readonly unknown[]).includes(value) ? (value as Copy) : fallback;
}

function copiesOfRow(projection: ProjectionName, row: types.Row): ProjectionCopies {
  const active = copyOf(row.get('active'), 'a');
  const phaseValue = row.get('phase') as string | null;
  const phase: Phase = (PHASES as readonly (string | null)[]).includes(phaseValue) ? (phaseValue as Phase) : 'idle';
  const rebuildId = row.get('rebuild_id') as types.Uuid | null;
  const leaseOwner = row.get('lease_owner') as string | null;
  const leaseUntil = row.get('lease_until') as Date | null;
  return {
    projection,
    active,
    other: otherCopy(active),
    phase,
    ...(rebuildId
      ? {
          rebuild: {
            id: rebuildId.toString(),
            requestedAt: row.get('requested_at') as Date,
            phaseSince: row.get('phase_since') as Date,
            rangeCount: row.get('range_count') as number,
            ...(leaseOwner ? { leaseOwner } : {}),
            ...(leaseUntil ? { leaseUntil } : {}),
          },
        }
      : {}),
  };
}
