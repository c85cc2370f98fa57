import { mapAtMost } from '../core/concurrency/map-at-most';
import type { Logger } from '../core/logging/logger';
import type { CdcChange } from './cdc-change';
import type { ChangeLog, CheckpointStore, Generation, GroupCheckpoint, StreamGroup } from './cdc-ports';
import type { CdcReaderConfig } from './cdc-reader-config';
import type { Clock } from './clock';
import type { GenerationInProgress } from './generation-progress';
import { DeliveryQueue } from './delivery-queue';
import { startOfGroup } from './generation-progress';
import { GroupPacing } from './group-pacing';
import { groupKey, type GroupPositions } from './group-positions';
import { batchWindows, type GroupWindow, type WindowBatch } from './window-batches';
import { planWindow } from './window-plan';

/** Where in the log a batch of changes comes from: one window of the stream groups read together. */
export interface CdcWindow {
  readonly generation: Date;
  readonly groupIds: readonly number[];
  readonly from: Date;
  readonly to: Date;
}

/**
 * Receives a page of changes in log order (each stream's changes together and in order; a page may hold several
 * streams and groups). Resolving means "acknowledged downstream": the checkpoints move past a window only after
 * every page of it resolved. Throwing stops the window; it is read again from the last checkpoints later.
 */
export type CdcChangeHandler = (changes: readonly CdcChange[], window: CdcWindow) => Promise<void>;

/** Hooks for metrics, so the reader stays free of any metrics library. */
export interface CdcReaderObserver {
  onWindowRead?(window: CdcWindow, rows: number, seconds: number): void;
  onLag?(groupId: number, lagSeconds: number): void;
  onError?(error: unknown): void;
}

export interface WindowReaderOptions {
  readonly log: ChangeLog;
  readonly checkpoints: CheckpointStore;
  readonly positions: GroupPositions;
  readonly handler: CdcChangeHandler;
  /** Whether this instance still holds the group's lease; asked before every delivery. */
  readonly owns: (groupId: number) => boolean;
  readonly config: CdcReaderConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly observer?: CdcReaderObserver;
}

/** Reads the due windows of stream groups, hands them to the handler and checkpoints them once acknowledged. */
export class WindowReader {
  private readonly expiryWarned = new Set<string>();
  private readonly checkpointSavedAt = new Map<string, number>();
  private readonly pacing: GroupPacing;
  /** Reads overlap up to CDC_READ_PARALLELISM; what they hand downstream is bounded and coalesced apart. */
  private readonly deliveries: DeliveryQueue;

  constructor(private readonly options: WindowReaderOptions) {
    this.pacing = new GroupPacing(options.config);
    this.deliveries = new DeliveryQueue(options.handler, options.config.CDC_PARALLELISM, options.config.CDC_PAGE_SIZE);
  }

  /**
   * Reads the next window of each group that is due (group-pacing.ts), groups with the same window in one query
   * (window-batches.ts), CDC_READ_PARALLELISM queries at once. One clock reading for all gives the windows one end.
   * The checkpoints due are written together once the reads settled, those of the windows acknowledged before a
   * failure too. Returns whether a group is still behind (its window was cut by the window size, not by the clock):
   * then the next pass follows at once, otherwise the reader sleeps.
   */
  async read(current: GenerationInProgress, groups: readonly StreamGroup[]): Promise<boolean> {
    const { config, clock } = this.options;
    const now = clock.now();
    const due = groups.flatMap((group) => this.plan(current, group, now) ?? []);
    const batches = batchWindows(due, config.CDC_MAX_STREAMS_PER_QUERY);
    const acknowledged: GroupCheckpoint[] = [];
    try {
      const behind = await mapAtMost(batches, config.CDC_READ_PARALLELISM, (batch) => this.readBatch(current.generation, batch, now, acknowledged));
      return behind.some(Boolean);
    } finally {
      await this.saveCheckpoints(acknowledged);
    }
  }

  /** Saves the positions of idle windows kept in memory (a clean stop writes those of the groups it owns). */
  async saveAll(generation: Generation, owned: (groupId: number) => boolean): Promise<void> {
    const checkpoints = generation.groups.flatMap((group) => {
      const position = owned(group.id) ? this.options.positions.of(generation, group) : undefined;
      return position ? [{ generation: generation.time, groupId: group.id, position }] : [];
    });
    if (checkpoints.length > 0) await this.options.checkpoints.save(checkpoints);
  }

  /** The group's next window, when it is due and not empty. */
  private plan({ generation, next }: GenerationInProgress, group: StreamGroup, now: number): GroupWindow | undefined {
    const { config, positions, observer } = this.options;
    if (!this.pacing.isDue(groupKey(generation.time, group.id), now)) return undefined;
    const from = positions.of(generation, group) ?? startOfGroup(generation, positions, { now, lookbackMs: config.CDC_LOOKBACK_MS });
    const lagMs = now - from.getTime();
    observer?.onLag?.(group.id, Math.max(0, lagMs / 1000));
    this.warnIfExpired(generation, group, lagMs);
    const plan = planWindow({
      from: from.getTime(),
      now,
      nextGenerationStart: next?.time.getTime(),
      windowMs: config.CDC_WINDOW_MS,
      maxWindowMs: config.CDC_MAX_WINDOW_MS,
      confidenceWindowMs: config.CDC_CONFIDENCE_WINDOW_MS,
    });
    return plan && { group, plan };
  }

  /** Reads and delivers one batch, adds the checkpoints due to `acknowledged`; returns whether its groups are behind. */
  private async readBatch(generation: Generation, batch: WindowBatch, now: number, acknowledged: GroupCheckpoint[]): Promise<boolean> {
    const window: CdcWindow = {
      generation: generation.time,
      groupIds: batch.windows.map(({ group }) => group.id),
      from: new Date(batch.from),
      to: new Date(batch.to),
    };
    const started = performance.now();
    const rowsByGroup = await this.deliver(window, batch);
    if (rowsByGroup === undefined) return false;
    for (const { group, plan } of batch.windows) {
      const busy = (rowsByGroup.get(group.id) ?? 0) > 0;
      const checkpoint = { generation: generation.time, groupId: group.id, position: window.to };
      if (this.checkpointDue(checkpoint, busy || plan.endsGeneration)) acknowledged.push(checkpoint);
      else this.options.positions.remember(checkpoint);
      this.pacing.read(groupKey(generation.time, group.id), now, busy || plan.behind);
    }
    let rows = 0;
    for (const count of rowsByGroup.values()) rows += count;
    this.options.observer?.onWindowRead?.(window, rows, (performance.now() - started) / 1000);
    return batch.windows.some(({ plan }) => plan.behind);
  }

  /**
   * Hands the batch's changes to the handler and returns how many each group had, or undefined when a lease of the
   * batch was lost meanwhile: the window then ends unacknowledged for all its groups, and each is read again from
   * its last checkpoint (by its new owner, or by this instance for the groups it kept).
   * The streams are read together and handed over a page at a time: fewer, larger deliveries (Kafka round trips),
   * which the delivery queue merges further with other batches' pages waiting at the same time.
   * Streams hold different partitions, so only the order within a stream matters, and appending keeps it.
   */
  private async deliver(window: CdcWindow, batch: WindowBatch): Promise<Map<number, number> | undefined> {
    const { log, owns, config } = this.options;
    const groupOfStream = new Map(batch.windows.flatMap(({ group }) => group.streams.map((stream) => [stream.toString('hex'), group.id] as const)));
    const rowsByGroup = new Map<number, number>();
    let pending: CdcChange[] = [];
    const flush = async (): Promise<boolean> => {
      if (!window.groupIds.every((groupId) => owns(groupId))) return false;
      const changes = pending;
      pending = [];
      if (changes.length > 0) await this.deliveries.deliver(changes, window);
      for (const change of changes) {
        const groupId = groupOfStream.get(change.streamId.toString('hex'));
        if (groupId !== undefined) rowsByGroup.set(groupId, (rowsByGroup.get(groupId) ?? 0) + 1);
      }
      return true;
    };
    const streams = batch.windows.flatMap(({ group }) => group.streams);
    for await (const page of log.window(streams, window.from, window.to)) {
      pending.push(...page);
      if (pending.length >= config.CDC_PAGE_SIZE && !(await flush())) return undefined;
    }
    return (await flush()) ? rowsByGroup : undefined;
  }

  /**
   * An idle window moves the position without touching the table on every poll: a window that delivered
   * changes (or ends a generation) is saved at once, empty ones at most every CDC_CHECKPOINT_INTERVAL_MS.
   * After a crash, at most that much empty log is read again.
   */
  private checkpointDue(checkpoint: GroupCheckpoint, urgent: boolean): boolean {
    const savedAt = this.checkpointSavedAt.get(groupKey(checkpoint.generation, checkpoint.groupId)) ?? 0;
    return urgent || this.options.clock.now() - savedAt >= this.options.config.CDC_CHECKPOINT_INTERVAL_MS;
  }

  /**
   * One write for a pass's checkpoints (they share a partition): one request however many groups it read. Their
   * positions move only once written, so a failed write has the windows read again, as a failed delivery does.
   */
  private async saveCheckpoints(checkpoints: readonly GroupCheckpoint[]): Promise<void> {
    if (checkpoints.length === 0) return;
    await this.options.checkpoints.save(checkpoints);
    const savedAt = this.options.clock.now();
    for (const checkpoint of checkpoints) {
      this.checkpointSavedAt.set(groupKey(checkpoint.generation, checkpoint.groupId), savedAt);
      this.options.positions.remember(checkpoint);
    }
  }

  private warnIfExpired(generation: Generation, group: StreamGroup, lagMs: number): void {
    const { config, logger } = this.options;
    const key = groupKey(generation.time, group.id);
    if (lagMs / 1000 < config.CDC_LOG_TTL_SECONDS || this.expiryWarned.has(key)) return;
    this.expiryWarned.add(key);
    logger.warn('CDC checkpoint is older than the log TTL: changes may have expired unread', {
      generation: generation.time.toISOString(),
      groupId: group.id,
      lagSeconds: Math.round(lagMs / 1000),
      logTtlSeconds: config.CDC_LOG_TTL_SECONDS,
    });
  }
}
