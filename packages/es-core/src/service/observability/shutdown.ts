import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HealthRegistry } from './health';
import type { Logger } from '../../core/logging/logger';

/** One thing to do on the way out (finish in-flight work, commit checkpoints, close a client). */
export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

/** What delivers signals: `process` in production, an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface GracefulShutdownOptions {
  readonly logger: Logger;
  /** Budget for the whole sequence; past it the process exits 1 with whatever is still running. */
  readonly timeoutMs: number;
  /** Marked not-ready first, so load balancers stop sending traffic. */
  readonly health?: HealthRegistry;
  /**
   * Pause between "not ready" and closing the listeners, for load balancers that only notice readiness on
   * their next probe (Kubernetes endpoints). 0 by default.
   */
  readonly drainDelayMs?: number;
  readonly signals?: readonly NodeJS.Signals[];
  readonly signalSource?: SignalSource;
  readonly exit?: (code: number) => void;
}

const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Idle keep-alive connections would keep server.close() waiting forever; they are swept until it completes. */
const IDLE_SWEEP_INTERVAL_MS = 250;

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    // Connections still serving a request become idle once it is answered; keep closing those as they appear.
    const sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_INTERVAL_MS);
    server.close((error) => {
      clearInterval(sweeper);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

const errorFields = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { message: String(error) };

/**
 * SIGTERM/SIGINT → not ready → stop accepting connections and let in-flight requests finish → registered
 * steps in registration order → exit 0; exit 1 when a step failed or the whole sequence overran its budget.
 * A step that fails does not stop the later ones: clients must still be closed. A second signal exits at once.
 */
export class GracefulShutdown {
  private readonly servers: Server[] = [];
  private readonly steps: ShutdownStep[] = [];
  private readonly signals: readonly NodeJS.Signals[];
  private readonly signalSource: SignalSource;
  private readonly exit: (code: number) => void;
  private running: Promise<number> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => () => {
    if (this.running) {
      this.options.logger.warn('second signal during shutdown: exiting now', { signal });
      this.exit(1);
      return;
    }
    void this.shutdown(signal);
  };
  private readonly listeners = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly options: GracefulShutdownOptions) {
    this.signals = options.signals ?? DEFAULT_SIGNALS;
    this.signalSource = options.signalSource ?? process;
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** HTTP servers stop accepting first; their in-flight requests finish before any step runs. */
  addServer(server: Server): this {
    this.servers.push(server);
    return this;
  }

  addStep(name: string, run: ShutdownStep['run']): this {
    this.steps.push({ name, run });
    return this;
  }

  /** Starts listening for the signals. */
  install(): this {
    for (const signal of this.signals) {
      if (this.listeners.has(signal)) continue;
      const listener = this.onSignal(signal);
      this.listeners.set(signal, listener);
      this.signalSource.on(signal, listener);
    }
    return this;
  }

  uninstall(): void {
    for (const [signal, listener] of this.listeners) this.signalSource.off(signal, listener);
    this.listeners.clear();
  }

  /** Runs the sequence once (later calls share it), calls exit, and resolves with the exit code. */
  shutdown(reason: string): Promise<number> {
    this.running ??= this.run(reason);
    return this.running;
  }

  private async run(reason: string): Promise<number> {
    const { logger, timeoutMs } = this.options;
    logger.info('shutting down', { reason, timeoutMs });
    let current = 'starting';
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const sequence = async (): Promise<boolean> => {
      let failed = false;
      this.options.health?.markShuttingDown();
      if (this.options.drainDelayMs) {
        current = 'drain delay';
        await sleep(this.options.drainDelayMs);
      }
      const stages: ShutdownStep[] = [
        { name: 'close http servers', run: () => Promise.all(this.servers.map(closeServer)).then(() => undefined) },
        ...this.steps,
      ];
      for (const step of stages) {
        current = step.name;
        const startedAt = performance.now();
        try {
          await step.run();
          logger.info('shutdown step done', { step: step.name, durationMs: Math.round(performance.now() - startedAt) });
        } catch (error) {
          failed = true;
          logger.error('shutdown step failed', { step: step.name, error: errorFields(error) });
        }
      }
      return !failed;
    };
    const outcome = await Promise.race([sequence(), overrun]);
    clearTimeout(timer);
    let code: number;
    if (outcome === 'timeout') {
      logger.error('shutdown timed out', { timeoutMs, step: current });
      // Whatever is still open would otherwise outlive the exit call in tests; in production exit ends it.
      for (const server of this.servers) server.closeAllConnections();
      code = 1;
    } else {
      code = outcome ? 0 : 1;
      logger.info('shutdown complete', { exitCode: code });
    }
    this.uninstall();
    // winston hands lines to its transports on later ticks: let the last ones out before exiting.
    await new Promise((resolve) => setImmediate(resolve));
    this.exit(code);
    return code;
  }
}

export function createGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  return new GracefulShutdown(options);
}
