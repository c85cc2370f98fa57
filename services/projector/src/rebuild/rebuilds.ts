import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventUpcasting, Logger } from '@scylla-es/es-core';
import type { Client } from 'cassandra-driver';
import { CopiesChangedError, type CopiesTable } from '../copies/copies-table';
import type { CopiesState } from '../copies/copies-state';
import { copyTable, type Copy } from '../copies/copy';
import { cancellable, nextPhase, PROJECTIONS, type ProjectionCopies, type ProjectionName } from '../copies/projection-copies';
import type { ReadModels } from '../projection/read-models';
import { RebuildInProgressError, RebuildNotCancellableError } from './rebuild-errors';
import type { RebuildMetrics } from './rebuild-metrics';
import { countOrdersIntoCopy, scanIntoCopy, type ScanSettings } from './rebuild-scan';
import { rebuildSink } from './rebuild-sink';

export interface RebuildSettings extends ScanSettings {
  readonly rangeCount: number;
  readonly leaseMs: number;
}

export interface RebuildStatus {
  readonly projection: ProjectionName;
  readonly active: Copy;
  readonly phase: ProjectionCopies['phase'];
  readonly rebuild: {
    readonly id: string;
    readonly requestedAt: Date;
    readonly phaseSince: Date;
    readonly leaseOwner?: string;
    readonly ranges: { readonly total: number; readonly done: number };
    readonly streams: number;
    readonly events: number;
  } | null;
}

const TABLES: Readonly<Record<ProjectionName, readonly string[]>> = {
  orders: ['order_read_model', 'orders_by_customer', 'orders_by_status', 'order_status_days'],
  customers: ['customer_read_model'],
};

/** Truncation waits for every node and snapshots the table first: far longer than a query. */
const TRUNCATE_TIMEOUT_MS = 120_000;
const RETRY_DELAY_MS = 1_000;

/** The scan was stopped because the rebuild is no longer this instance's to drive in its current phase. */
class RebuildMovedOn extends Error {}

/**
 * Starts, cancels, drives and reports projection rebuilds (docs/projector.md, "Rebuild"). The instance holding a
 * rebuild's lease drives it phase by phase; every instance looks for rebuilds whose lease ran out and takes them
 * over, resuming the scan from the persisted range progress.
 */
export class Rebuilds {
  readonly instanceId = `projector-${randomUUID()}`;
  private readonly driving = new Map<ProjectionName, Promise<void>>();
  private readonly stopping = new AbortController();
  private takeovers: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      client: Client;
      keyspace: string;
      table: CopiesTable;
      state: CopiesState;
      models: ReadModels;
      upcastingFor: (aggregateType: string) => EventUpcasting;
      metrics: RebuildMetrics;
      settings: RebuildSettings;
      logger: Logger;
    },
  ) {}

  /** Claims a rebuild of the projection and drives it here; RebuildInProgressError when one is under way. */
  async request(projection: ProjectionName): Promise<ProjectionCopies> {
    const current = await this.deps.table.load(projection);
    if (current.phase !== 'idle') throw new RebuildInProgressError(projection, current.rebuild?.id, current.phase);
    const now = new Date();
    const claim = { id: randomUUID(), rangeCount: this.deps.settings.rangeCount, owner: this.instanceId, leaseUntil: this.leaseEnd(), now };
    const claimed = await this.deps.table.claim(current, claim).catch((error: unknown) => {
      if (error instanceof CopiesChangedError) throw new RebuildInProgressError(projection, error.current.rebuild?.id, error.current.phase);
      throw error;
    });
    await this.deps.state.refresh(projection);
    this.drive(claimed);
    return claimed;
  }

  /** Cancels a rebuild that has not swapped the copies yet; its driver then truncates the half-filled copy. */
  async cancel(projection: ProjectionName): Promise<ProjectionCopies> {
    const current = await this.deps.table.load(projection);
    if (!cancellable(current.phase)) throw new RebuildNotCancellableError(projection, current.phase);
    await this.deps.table.cancel(current, new Date()).catch((error: unknown) => {
      if (error instanceof CopiesChangedError) throw new RebuildNotCancellableError(projection, error.current.phase);
      throw error;
    });
    await this.deps.state.refresh(projection);
    return this.deps.table.load(projection);
  }

  async status(projection: ProjectionName): Promise<RebuildStatus> {
    const copies = await this.deps.table.load(projection);
    const { rebuild } = copies;
    if (!rebuild) return { projection, active: copies.active, phase: copies.phase, rebuild: null };
    const ranges = await this.deps.table.rangesOf(rebuild.id);
    const sum = (pick: (range: (typeof ranges)[number]) => number) => ranges.reduce((total, range) => total + pick(range), 0);
    return {
      projection,
      active: copies.active,
      phase: copies.phase,
      rebuild: {
        id: rebuild.id,
        requestedAt: rebuild.requestedAt,
        phaseSince: rebuild.phaseSince,
        ...(rebuild.leaseOwner ? { leaseOwner: rebuild.leaseOwner } : {}),
        ranges: { total: rebuild.rangeCount, done: ranges.filter((range) => range.done).length },
        streams: sum((range) => range.streams),
        events: sum((range) => range.events),
      },
    };
  }

  /** Looks for rebuilds left without a live lease (their instance died) and takes them over. */
  start(): void {
    this.takeovers = setInterval(() => {
      for (const projection of PROJECTIONS) {
        this.takeOverIfAbandoned(projection).catch((error: unknown) => this.deps.logger.warn('checking for an abandoned rebuild failed', { projection, error: String(error) }));
      }
    }, this.deps.state.maxAgeMs);
    this.takeovers.unref();
  }

  /** Stops driving; the lease runs out and another instance (or this one, restarted) takes over. */
  async stop(): Promise<void> {
    clearInterval(this.takeovers);
    this.stopping.abort();
    await Promise.allSettled(this.driving.values());
  }

  private async takeOverIfAbandoned(projection: ProjectionName): Promise<void> {
    if (this.driving.has(projection) || this.stopping.signal.aborted) return;
    const copies = await this.deps.state.current(projection);
    const { rebuild } = copies;
    if (!rebuild || (rebuild.leaseUntil && rebuild.leaseUntil.getTime() > Date.now())) return;
    try {
      await this.deps.table.lease(copies, rebuild.leaseOwner, this.instanceId, this.leaseEnd());
    } catch (error) {
      if (error instanceof CopiesChangedError) return;
      throw error;
    }
    this.deps.logger.info('taking over an abandoned rebuild', { projection, rebuildId: rebuild.id, phase: copies.phase, from: rebuild.leaseOwner });
    this.drive(await this.deps.table.load(projection));
  }

  private drive(claimed: ProjectionCopies): void {
    const { projection } = claimed;
    if (this.driving.has(projection)) return;
    const running = this.driveToEnd(claimed).finally(() => this.driving.delete(projection));
    this.driving.set(projection, running);
  }

  /** Phase after phase until idle, as long as this instance holds the lease. */
  private async driveToEnd(claimed: ProjectionCopies): Promise<void> {
    const rebuildId = claimed.rebuild?.id;
    const lost = new AbortController();
    const signal = AbortSignal.any([this.stopping.signal, lost.signal]);
    const renewal = setInterval(() => {
      this.renewLease(claimed.projection, rebuildId).catch((error: unknown) => {
        if (error instanceof CopiesChangedError) lost.abort(error);
      });
    }, Math.max(50, Math.floor(this.deps.settings.leaseMs / 3)));
    let copies = claimed;
    try {
      while (!signal.aborted && copies.phase !== 'idle' && copies.rebuild?.id === rebuildId) {
        try {
          copies = await this.step(copies, signal);
        } catch (error) {
          if (signal.aborted) return;
          if (!(error instanceof CopiesChangedError) && !(error instanceof RebuildMovedOn)) {
            this.deps.logger.error('a rebuild step failed; retrying', { projection: copies.projection, phase: copies.phase, error: String(error) });
            await sleep(RETRY_DELAY_MS, undefined, { signal }).catch(() => undefined);
          }
          copies = await this.deps.table.load(copies.projection);
          if (copies.rebuild?.leaseOwner !== this.instanceId) return;
        }
      }
      if (copies.phase === 'idle') this.deps.logger.info('rebuild finished', { projection: copies.projection, rebuildId, active: copies.active });
    } finally {
      clearInterval(renewal);
      await this.deps.state.refresh(copies.projection).catch(() => undefined);
    }
  }

  private async renewLease(projection: ProjectionName, rebuildId: string | undefined): Promise<void> {
    const copies = await this.deps.table.load(projection);
    if (copies.rebuild?.id !== rebuildId) throw new CopiesChangedError(copies);
    await this.deps.table.lease(copies, this.instanceId, this.instanceId, this.leaseEnd());
  }

  /** One phase: wait until every instance writes what it says, do its work, move on. */
  private async step(copies: ProjectionCopies, signal: AbortSignal): Promise<ProjectionCopies> {
    const rebuild = copies.rebuild;
    if (!rebuild || copies.phase === 'idle') return copies;
    await this.waitForEveryInstance(rebuild.phaseSince, signal);
    const { projection, other } = copies;
    switch (copies.phase) {
      case 'clearing':
      case 'dropping':
        await this.truncate(projection, other);
        break;
      case 'filling':
        await this.fill(copies, signal);
        break;
      case 'draining':
        break;
    }
    return this.deps.table.advance(copies, nextPhase(copies.phase), this.instanceId, new Date(), copies.phase === 'filling');
  }

  /**
   * An instance uses a view of projection_copies at most `maxAgeMs` old, from a read sent at most that long
   * before: twice that after a phase began, no instance still acts on the phase before it.
   */
  private async waitForEveryInstance(phaseSince: Date, signal: AbortSignal): Promise<void> {
    const waitMs = phaseSince.getTime() + 2 * this.deps.state.maxAgeMs - Date.now();
    if (waitMs > 0) await sleep(waitMs, undefined, { signal });
  }

  private async fill(copies: ProjectionCopies, signal: AbortSignal): Promise<void> {
    const { projection, other } = copies;
    const rebuild = copies.rebuild as NonNullable<ProjectionCopies['rebuild']>;
    const { client, keyspace, table, models, settings } = this.deps;
    const stillOurs = async () => {
      const now = await this.deps.state.current(projection);
      if (now.phase !== 'filling' || now.rebuild?.id !== rebuild.id) throw new RebuildMovedOn(`projection ${projection} moved on to ${now.phase}`);
    };
    await scanIntoCopy(
      {
        client,
        keyspace,
        table,
        upcastingFor: this.deps.upcastingFor,
        metrics: this.deps.metrics,
        settings,
        onStoppedStream: ({ aggregateType, aggregateId }, { sequence, error }) =>
          this.deps.logger.warn('rebuild: an event the projection cannot apply ends its aggregate, as parking does live', {
            projection,
            aggregateType,
            aggregateId,
            sequence,
            error: error instanceof Error ? error.message : String(error),
          }),
      },
      { projection, rebuildId: rebuild.id, rangeCount: rebuild.rangeCount, sink: rebuildSink(projection, models.tables[other], { client, concurrency: settings.writesPerRange }), signal, stillOurs },
    );
    if (projection === 'customers') {
      const ordersCopy = (await this.deps.state.current('orders')).active;
      await countOrdersIntoCopy({ client, keyspace, settings }, { ordersCopy, customers: models.tables[other].customers, rangeCount: rebuild.rangeCount, signal });
    }
    await stillOurs();
  }

  private async truncate(projection: ProjectionName, copy: Copy): Promise<void> {
    for (const name of TABLES[projection]) {
      await this.deps.client.execute(`TRUNCATE ${copyTable(this.deps.keyspace, name, copy)}`, [], { readTimeout: TRUNCATE_TIMEOUT_MS });
    }
  }

  private leaseEnd(): Date {
    return new Date(Date.now() + this.deps.settings.leaseMs);
  }
}
