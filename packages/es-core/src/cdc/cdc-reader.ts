import type { Logger } from '../core/logging/logger';
import type { CdcSources, Generation } from './cdc-ports';
import type { CdcReaderConfig } from './cdc-reader-config';
import { systemClock, type Clock } from './clock';
import { generationInProgress, type GenerationInProgress } from './generation-progress';
import { GroupPositions } from './group-positions';
import { LeaseBalancer } from './lease-balancer';
import { WindowReader, type CdcChangeHandler, type CdcReaderObserver } from './window-reader';

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

export interface CdcReaderOptions {
  /** Generations, the log, checkpoints and leases: `cqlCdcSources(…)` on the database. */
  readonly sources: CdcSources;
  /** Name shared by all instances of one consumer: checkpoints and leases are per consumer. */
  readonly consumer: string;
  readonly config: CdcReaderConfig;
  readonly handler: CdcChangeHandler;
  readonly logger: Logger;
  readonly observer?: CdcReaderObserver;
  readonly clock?: Clock;
}

/**
 * Reads a table's ScyllaDB CDC log by ScyllaDB's rules (docs/cdc.md): generations in order, streams grouped by
 * vnode, each group in windows bounded by a confidence window (window-plan.ts), a checkpoint per (generation,
 * group) after the handler acknowledged the window, and the next generation only once every group of the
 * current one reached its end (generation-progress.ts). Instances share the groups through leases.
 */
export class CdcReader {
  private readonly clock: Clock;
  private readonly positions = new GroupPositions();
  private readonly balancer: LeaseBalancer;
  private readonly windows: WindowReader;
  private generations: Generation[] = [];
  private generationsReadAt = 0;
  private current: GenerationInProgress | undefined;
  private lastCycleAt: Date | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: CdcReaderOptions) {
    this.clock = options.clock ?? systemClock;
    this.balancer = new LeaseBalancer(options.sources.leases, options.config.CDC_LEASE_BUCKETS);
    this.windows = new WindowReader({
      log: options.sources.log,
      checkpoints: options.sources.checkpoints,
      positions: this.positions,
      handler: options.handler,
      owns: (groupId) => this.balancer.owns(groupId),
      config: options.config,
      clock: this.clock,
      logger: options.logger,
      ...(options.observer ? { observer: options.observer } : {}),
    });
  }

  get instanceId(): string {
    return this.balancer.instanceId;
  }

  start(): void {
    this.running ??= Promise.all([this.readLoop(), this.leaseLoop()]).then(() => undefined);
  }

  /** Lets the window in progress finish and checkpoint, then releases this instance's leases. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    if (this.current) await this.windows.saveAll(this.current.generation, (groupId) => this.balancer.owns(groupId));
    await this.balancer.leave();
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
        const position = current && this.positions.of(current.generation, group);
        return {
          groupId: group.id,
          checkpoint: position?.toISOString() ?? null,
          lagSeconds: position ? Math.max(0, (this.clock.now() - position.getTime()) / 1000) : null,
          owner: this.balancer.ownerOf(group.id) ?? null,
        };
      }),
    };
  }

  /** One pass over this instance's groups; true when a group is still behind (then the next pass follows at once). */
  private async readPass(): Promise<boolean> {
    await this.refreshGenerations();
    const current = this.current;
    if (!current) return false;
    const mine = current.generation.groups.filter((group) => this.balancer.owns(group.id));
    return this.windows.read(current, mine);
  }

  /** Renews, gives up or takes leases for the current generation's groups. */
  private async rebalance(): Promise<void> {
    await this.refreshGenerations();
    if (this.current) await this.balancer.rebalance(this.current.generation.groups);
  }

  private async readLoop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      let behind = false;
      try {
        behind = await this.readPass();
        this.lastCycleAt = new Date(this.clock.now());
      } catch (error) {
        this.reportError('CDC read cycle failed; retrying', error);
      }
      if (!behind) await this.clock.sleep(this.options.config.CDC_POLL_INTERVAL_MS, signal);
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
        await this.rebalance();
      } catch (error) {
        this.reportError('CDC lease renewal failed; retrying', error);
      }
      await this.clock.sleep((this.options.config.CDC_LEASE_TTL_SECONDS * 1000) / 3, signal);
    }
  }

  private reportError(message: string, error: unknown): void {
    this.options.observer?.onError?.(error);
    this.options.logger.warn(message, { error: errorText(error) });
  }

  /** Re-reads generations and every instance's checkpoints when due, and settles the generation in progress. */
  private async refreshGenerations(): Promise<void> {
    const { config, sources } = this.options;
    const now = this.clock.now();
    if (now - this.generationsReadAt >= config.CDC_GENERATION_REFRESH_MS || this.generations.length === 0) {
      const [generations, saved] = await Promise.all([sources.generations.generations(), sources.checkpoints.all()]);
      this.generations = generations;
      this.generationsReadAt = this.clock.now();
      // Positions of other instances' groups matter too: a generation is done only when all its groups are.
      for (const checkpoint of saved) this.positions.remember(checkpoint);
    }
    this.current = generationInProgress(this.generations, this.positions, { now: this.clock.now(), lookbackMs: config.CDC_LOOKBACK_MS });
  }
}

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
