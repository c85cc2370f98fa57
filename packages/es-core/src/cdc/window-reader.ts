import type { Logger } from '../core/logging/logger';
import type { CdcChange } from './cdc-change';
import type { ChangeLog, CheckpointStore, Generation, GroupCheckpoint, StreamGroup } from './cdc-ports';
import type { CdcReaderConfig } from './cdc-reader-config';
import type { Clock } from './clock';
import type { GenerationInProgress } from './generation-progress';
import { startOfGroup } from './generation-progress';
import { GroupPacing } from './group-pacing';
import { groupKey, type GroupPositions } from './group-positions';
import { planWindow } from './window-plan';

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

/** Reads one window of one stream group, hands it to the handler and checkpoints it once acknowledged. */
export class WindowReader {
  private readonly expiryWarned = new Set<string>();
  private readonly checkpointSavedAt = new Map<string, number>();
  private readonly pacing: GroupPacing;

  constructor(private readonly options: WindowReaderOptions) {
    this.pacing = new GroupPacing(options.config);
  }

  /**
   * Reads the group's next window, when due (group-pacing.ts), and returns whether the group is still behind (its
   * window was cut by the window size, not by the clock): then the next pass follows at once, otherwise the
   * reader sleeps.
   */
  async read({ generation, next }: GenerationInProgress, group: StreamGroup): Promise<boolean> {
    const { config, clock, positions, observer } = this.options;
    const now = clock.now();
    const key = groupKey(generation.time, group.id);
    if (!this.pacing.isDue(key, now)) return false;
    const start = { now, lookbackMs: config.CDC_LOOKBACK_MS };
    const from = positions.of(generation, group) ?? startOfGroup(generation, positions, start);
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
    if (!plan) return false;
    const window: CdcWindow = { generation: generation.time, groupId: group.id, from, to: new Date(plan.to) };
    const started = performance.now();
    const rows = await this.deliver(window, group);
    if (rows === undefined) return false;
    await this.saveCheckpoint({ generation: generation.time, groupId: group.id, position: window.to }, rows > 0 || plan.endsGeneration);
    observer?.onWindowRead?.(window, rows, (performance.now() - started) / 1000);
    this.pacing.read(key, now, rows > 0 || plan.behind);
    return plan.behind;
  }

  /** Saves the positions of idle windows kept in memory (a clean stop writes those of the groups it owns). */
  async saveAll(generation: Generation, owned: (groupId: number) => boolean): Promise<void> {
    await Promise.all(
      generation.groups
        .filter((group) => owned(group.id))
        .map((group) => {
          const position = this.options.positions.of(generation, group);
          return position ? this.options.checkpoints.save({ generation: generation.time, groupId: group.id, position }) : undefined;
        }),
    );
  }

  /**
   * Hands the window's changes to the handler and returns how many there were, or undefined when the lease was
   * lost meanwhile: the window then ends unacknowledged, and the new owner re-reads it from the last checkpoint.
   * The group's streams are read together and batched up to a page: fewer, larger deliveries (Kafka round trips).
   * Streams hold different partitions, so only the order within a stream matters, and appending keeps it.
   */
  private async deliver(window: CdcWindow, group: StreamGroup): Promise<number | undefined> {
    const { log, handler, owns, config } = this.options;
    let rows = 0;
    let batch: CdcChange[] = [];
    const flush = async (): Promise<boolean> => {
      if (!owns(group.id)) return false;
      if (batch.length > 0) await handler(batch, window);
      rows += batch.length;
      batch = [];
      return true;
    };
    for await (const page of log.window(group.streams, window.from, window.to)) {
      batch.push(...page);
      if (batch.length >= config.CDC_PAGE_SIZE && !(await flush())) return undefined;
    }
    return (await flush()) ? rows : undefined;
  }

  /**
   * An idle window moves the position without touching the table on every poll: a window that delivered
   * changes (or ends a generation) is saved at once, empty ones at most every CDC_CHECKPOINT_INTERVAL_MS.
   * After a crash, at most that much empty log is read again.
   */
  private async saveCheckpoint(checkpoint: GroupCheckpoint, urgent: boolean): Promise<void> {
    const { clock, checkpoints, positions, config } = this.options;
    const key = groupKey(checkpoint.generation, checkpoint.groupId);
    const savedAt = this.checkpointSavedAt.get(key) ?? 0;
    if (urgent || clock.now() - savedAt >= config.CDC_CHECKPOINT_INTERVAL_MS) {
      await checkpoints.save(checkpoint);
      this.checkpointSavedAt.set(key, clock.now());
    }
    positions.remember(checkpoint);
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
