import { setTimeout as sleep } from 'node:timers/promises';
import { types, type Client } from 'cassandra-driver';
import type { Logger } from '../core/logging/logger';
import type { CdcChange, CdcOperationCode } from './cdc-change';
import type { CdcReaderConfig } from './cdc-reader-config';
import { CdcCheckpointStore, type GroupCheckpoint } from './checkpoints';
import { GenerationSource, type Generation, type StreamGroup } from './generations';
import { LeaseManager } from './leases';
import { CdcLogReader } from './log-reader';
import { endOfMillisecond } from './time-bounds';

/** Where in the log a batch of changes comes from. */
export interface CdcWindow {
  readonly generation: Date;
  readonly groupId: number;
  readonly from: Date;
  readonly to: Date;
}

/**
 * Receives a page of one stream's changes in log order. Resolving means "acknowledged downstream": the
 * checkpoint moves past a window only after every page of it resolved. Throwing stops the window; it is
 * read again from the last checkpoint later.
 */
export type CdcChangeHandler = (changes: readonly CdcChange[], window: CdcWindow) => Promise<void>;

export interface CdcGroupStatus {
  readonly groupId: number;
  readonly checkpoint: string | null;
  readonly lagSeconds: number | null;
  readonly owner: string | null;
}

export interface CdcReaderStatus {
  readonly consumer: string;
  readonly instance: string;
  readonly generation: string | null;
  readonly nextGeneration: string | null;
  /** When a read pass last completed without error; a worker is "progressing" while this stays recent. */
  readonly lastCycleAt: string | null;
  readonly groups: readonly CdcGroupStatus[];
}

/** Hooks for metrics, so the reader stays free of any metrics library. */
export interface CdcReaderObserver {
  onWindowRead?(window: CdcWindow, rows: number, seconds: number): void;
  onLag?(groupId: number, lagSeconds: number): void;
  onError?(error: unknown): void;
}

export interface CdcReaderOptions {
  readonly client: Client;
  readonly keyspace: string;
  readonly baseTable: string;
  /** Name shared by all instances of one consumer: checkpoints and leases are per consumer. */
  readonly consumer: string;
  readonly config: CdcReaderConfig;
  readonly handler: CdcChangeHandler;
  /** Base-table columns the handler reads (default: all). */
  readonly baseColumns?: readonly string[];
  /**
   * Only changes of this operation (default: all), e.g. a relay of inserted rows. The database drops the others,
   * so a filtered window is no proof of what else happened in it (cdc$end_of_batch may be among the dropped).
   */
  readonly operation?: CdcOperationCode;
  readonly logger: Logger;
  readonly observer?: CdcReaderObserver;
  readonly instanceId?: string;
  readonly now?: () => number;
}

const CONSISTENCIES: Record<CdcReaderConfig['CDC_CONSISTENCY'], number> = {
  LOCAL_QUORUM: types.consistencies.localQuorum,
  QUORUM: types.consistencies.quorum,
  LOCAL_ONE: types.consistencies.localOne,
  ONE: types.consistencies.one,
  ALL: types.consistencies.all,
};

const checkpointKey = (generation: Date, groupId: number) => `${generation.getTime()}:${groupId}`;

/**
 * Reads a table's ScyllaDB CDC log by ScyllaDB's rules (shared/design/scylla-cdc.md): generations in order,
 * streams grouped by vnode, each group in windows `(checkpoint, min(checkpoint + window, now − confidence,
 * next generation)]`, a checkpoint per (generation, group) after the handler acknowledged the window, and the
 * next generation only once every group of the current one reached its end. Instances share the groups
 * through leases.
 */
export class CdcReader {
  private readonly generationSource: GenerationSource;
  private readonly logReader: CdcLogReader;
  private readonly checkpoints: CdcCheckpointStore;
  private readonly leases: LeaseManager;
  private readonly now: () => number;
  private readonly config: CdcReaderConfig;

  private generations: Generation[] = [];
  private generationsReadAt = 0;
  private positions = new Map<string, Date>();
  private owned = new Set<number>();
  private leaseOwners = new Map<number, string>();
  private current: { generation: Generation; next: Generation | undefined } | undefined;
  private readonly expiryWarned = new Set<string>();
  private readonly checkpointSavedAt = new Map<string, number>();
  private lastCycleAt: Date | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: CdcReaderOptions) {
    this.config = options.config;
    this.now = options.now ?? Date.now;
    this.generationSource = new GenerationSource(options.client, this.config.CDC_METADATA_KEYSPACE);
    this.logReader = new CdcLogReader(options.client, {
      keyspace: options.keyspace,
      baseTable: options.baseTable,
      consistency: CONSISTENCIES[this.config.CDC_CONSISTENCY],
      pageSize: this.config.CDC_PAGE_SIZE,
      ...(options.baseColumns ? { baseColumns: options.baseColumns } : {}),
      ...(options.operation === undefined ? {} : { operation: options.operation }),
    });
    this.checkpoints = new CdcCheckpointStore(options.client, options.keyspace, options.consumer, options.baseTable);
    this.leases = new LeaseManager(options.client, {
      keyspace: options.keyspace,
      consumer: options.consumer,
      baseTable: options.baseTable,
      ttlSeconds: this.config.CDC_LEASE_TTL_SECONDS,
      ...(options.instanceId ? { owner: options.instanceId } : {}),
    });
  }

  get instanceId(): string {
    return this.leases.owner;
  }

  start(): void {
    this.running ??= Promise.all([this.readLoop(), this.leaseLoop()]).then(() => undefined);
  }

  /** Lets the window in progress finish and checkpoint, then releases this instance's leases. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await this.saveOwnedPositions();
    await Promise.all([...this.owned].map((groupId) => this.leases.release(groupId)));
    await this.leases.leave();
    this.owned.clear();
  }

  /** Positions of idle windows are kept in memory between saves; a clean stop writes them all. */
  private async saveOwnedPositions(): Promise<void> {
    const generation = this.current?.generation;
    if (!generation) return;
    await Promise.all(
      generation.groups
        .filter((group) => this.owned.has(group.id))
        .map((group) => {
          const position = this.positionOf(generation, group);
          return position ? this.checkpoints.save({ generation: generation.time, groupId: group.id, position }) : undefined;
        }),
    );
  }

  status(): CdcReaderStatus {
    const current = this.current;
    return {
      consumer: this.options.consumer,
      instance: this.instanceId,
      generation: current?.generation.time.toISOString() ?? null,
      nextGeneration: current?.next?.time.toISOString() ?? null,
      lastCycleAt: this.lastCycleAt?.toISOString() ?? null,
      groups: (current?.generation.groups ?? []).map((group) => {
        const position = current && this.positionOf(current.generation, group);
        return {
          groupId: group.id,
          checkpoint: position?.toISOString() ?? null,
          lagSeconds: position ? Math.max(0, (this.now() - position.getTime()) / 1000) : null,
          owner: this.leaseOwners.get(group.id) ?? null,
        };
      }),
    };
  }

  private async readLoop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let readSomething = false;
      try {
        readSomething = await this.cycle();
        this.lastCycleAt = new Date(this.now());
      } catch (error) {
        this.reportError('CDC read cycle failed; retrying', error);
      }
      if (!readSomething) await this.pause(this.config.CDC_POLL_INTERVAL_MS);
    }
  }

  /**
   * Leases live on their own timer, not between windows: a window blocked on a downstream outage must not
   * let its lease lapse, and a lost lease must stop the window before it checkpoints.
   */
  private async leaseLoop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      try {
        await this.refreshGenerations();
        this.current = this.currentGeneration();
        if (this.current) await this.rebalance(this.current.generation.groups);
      } catch (error) {
        this.reportError('CDC lease renewal failed; retrying', error);
      }
      await this.pause((this.config.CDC_LEASE_TTL_SECONDS * 1000) / 3);
    }
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private reportError(message: string, error: unknown): void {
    this.options.observer?.onError?.(error);
    this.options.logger.warn(message, { error: errorText(error) });
  }

  /** One pass over this instance's groups; true when a group is still behind (then the next pass follows at once). */
  private async cycle(): Promise<boolean> {
    await this.refreshGenerations();
    this.current = this.currentGeneration();
    if (!this.current) return false;
    const { generation, next } = this.current;
    const mine = generation.groups.filter((group) => this.owned.has(group.id));
    const moved = await mapWithConcurrency(mine, this.config.CDC_PARALLELISM, (group) => this.readWindow(generation, next, group));
    return moved.some(Boolean);
  }

  private async refreshGenerations(): Promise<void> {
    if (this.now() - this.generationsReadAt < this.config.CDC_GENERATION_REFRESH_MS && this.generations.length > 0) return;
    const [generations, saved] = await Promise.all([this.generationSource.generations(), this.checkpoints.all()]);
    this.generations = generations;
    this.generationsReadAt = this.now();
    // Positions of other instances' groups matter too: a generation is done only when all its groups are.
    for (const checkpoint of saved) this.remember(checkpoint);
  }

  /** The oldest generation that still has a group short of its end, starting where this consumer started. */
  private currentGeneration(): { generation: Generation; next: Generation | undefined } | undefined {
    const { generations } = this;
    if (generations.length === 0) return undefined;
    let index = this.firstRelevantGeneration();
    while (index < generations.length - 1) {
      const generation = generations[index] as Generation;
      const end = (generations[index + 1] as Generation).time.getTime() - 1;
      const done = generation.groups.every((group) => (this.positionOf(generation, group)?.getTime() ?? -Infinity) >= end);
      if (!done) break;
      index++;
    }
    return { generation: generations[index] as Generation, next: generations[index + 1] };
  }

  /** With checkpoints: the oldest generation that has one. Without: the generation holding now − look-back. */
  private firstRelevantGeneration(): number {
    const checkpointed = this.generations.findIndex((generation) =>
      generation.groups.some((group) => this.positions.has(checkpointKey(generation.time, group.id))),
    );
    if (checkpointed >= 0) return checkpointed;
    const start = this.now() - this.config.CDC_LOOKBACK_MS;
    const containing = this.generations.findLastIndex((generation) => generation.time.getTime() <= start);
    return Math.max(0, containing);
  }

  private positionOf(generation: Generation, group: StreamGroup): Date | undefined {
    return this.positions.get(checkpointKey(generation.time, group.id));
  }

  /** Where a group without a checkpoint starts: its generation's first instant, or now − look-back for a new consumer. */
  private startOf(generation: Generation): Date {
    const generationStart = generation.time.getTime() - 1;
    const anyCheckpoint = this.positions.size > 0;
    const lookback = this.now() - this.config.CDC_LOOKBACK_MS;
    return new Date(anyCheckpoint ? generationStart : Math.max(generationStart, lookback));
  }

  /**
   * Reads one window of a group and returns whether the group is still behind (its window was cut by the
   * window size, not by the clock): then the next pass follows at once, otherwise the reader sleeps.
   */
  private async readWindow(generation: Generation, next: Generation | undefined, group: StreamGroup): Promise<boolean> {
    const from = this.positionOf(generation, group) ?? this.startOf(generation);
    const now = this.now();
    const lagMs = now - from.getTime();
    this.options.observer?.onLag?.(group.id, Math.max(0, lagMs / 1000));
    this.warnIfExpired(generation, group, lagMs);
    const windowMs = lagMs > 2 * this.config.CDC_WINDOW_MS ? Math.min(this.config.CDC_MAX_WINDOW_MS, lagMs) : this.config.CDC_WINDOW_MS;
    const sizeBound = from.getTime() + windowMs;
    const generationEnd = next ? next.time.getTime() - 1 : Number.POSITIVE_INFINITY;
    const to = Math.min(sizeBound, now - this.config.CDC_CONFIDENCE_WINDOW_MS, generationEnd);
    if (to <= from.getTime()) return false;
    const window: CdcWindow = { generation: generation.time, groupId: group.id, from, to: new Date(to) };
    const started = performance.now();
    let rows = 0;
    // The group's streams are batched together up to a page: fewer, larger deliveries (Kafka round trips).
    // Streams hold different partitions, so only the order within a stream matters, and appending keeps it.
    let batch: CdcChange[] = [];
    const deliver = async (): Promise<boolean> => {
      // A lease lost meanwhile ends the window; the new owner re-reads it from the last checkpoint.
      if (!this.owned.has(group.id)) return false;
      if (batch.length > 0) await this.options.handler(batch, window);
      rows += batch.length;
      batch = [];
      return true;
    };
    for (const stream of group.streams) {
      for await (const page of this.logReader.window(stream, endOfMillisecond(from), endOfMillisecond(window.to))) {
        batch.push(...page);
        if (batch.length >= this.config.CDC_PAGE_SIZE && !(await deliver())) return false;
      }
    }
    if (!(await deliver())) return false;
    const checkpoint: GroupCheckpoint = { generation: generation.time, groupId: group.id, position: window.to };
    await this.saveCheckpoint(checkpoint, rows > 0 || to === generationEnd);
    this.options.observer?.onWindowRead?.(window, rows, (performance.now() - started) / 1000);
    return to === sizeBound;
  }

  /**
   * An idle window moves the position without touching the table on every poll: a window that delivered
   * changes (or ends a generation) is saved at once, empty ones at most every CDC_CHECKPOINT_INTERVAL_MS.
   * After a crash, at most that much empty log is read again.
   */
  private async saveCheckpoint(checkpoint: GroupCheckpoint, urgent: boolean): Promise<void> {
    const key = checkpointKey(checkpoint.generation, checkpoint.groupId);
    const savedAt = this.checkpointSavedAt.get(key) ?? 0;
    if (urgent || this.now() - savedAt >= this.config.CDC_CHECKPOINT_INTERVAL_MS) {
      await this.checkpoints.save(checkpoint);
      this.checkpointSavedAt.set(key, this.now());
    }
    this.remember(checkpoint);
  }

  private remember(checkpoint: GroupCheckpoint): void {
    const key = checkpointKey(checkpoint.generation, checkpoint.groupId);
    const known = this.positions.get(key);
    if (!known || known < checkpoint.position) this.positions.set(key, checkpoint.position);
  }

  /**
   * Keeps about (groups ÷ live instances) leases: renews its own (dropping any it lost), gives up extras when
   * instances joined, takes free groups when instances left. Runs every third of the lease TTL.
   */
  private async rebalance(groups: readonly StreamGroup[]): Promise<void> {
    const members = await this.leases.heartbeat();
    const fairShare = Math.ceil(groups.length / Math.max(1, members.length));
    for (const groupId of [...this.owned]) {
      if (!(await this.leases.renew(groupId))) this.owned.delete(groupId);
    }
    for (const groupId of [...this.owned].slice(fairShare)) {
      this.owned.delete(groupId);
      await this.leases.release(groupId);
    }
    this.leaseOwners = await this.leases.owners();
    for (const group of groups) {
      if (this.owned.size >= fairShare) break;
      if (!this.leaseOwners.has(group.id) && (await this.leases.acquire(group.id))) this.owned.add(group.id);
    }
    this.leaseOwners = await this.leases.owners();
  }

  private warnIfExpired(generation: Generation, group: StreamGroup, lagMs: number): void {
    const key = checkpointKey(generation.time, group.id);
    if (lagMs / 1000 < this.config.CDC_LOG_TTL_SECONDS || this.expiryWarned.has(key)) return;
    this.expiryWarned.add(key);
    this.options.logger.warn('CDC checkpoint is older than the log TTL: changes may have expired unread', {
      generation: generation.time.toISOString(),
      groupId: group.id,
      lagSeconds: Math.round(lagMs / 1000),
      logTtlSeconds: this.config.CDC_LOG_TTL_SECONDS,
    });
  }
}

async function mapWithConcurrency<Item, Result>(
  items: readonly Item[],
  concurrency: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const index = nextIndex++;
      results[index] = await work(items[index] as Item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
