import type { RequestHandler } from 'express';
import type { Logger } from '../../core/logging/logger';

/**
 * A readiness check resolves when the dependency is usable and rejects (or times out) when not. It may
 * return details worth showing (e.g. a checkpoint or lag); the signal aborts when its time is up.
 */
export type HealthCheck = (signal: AbortSignal) => Promise<void | Readonly<Record<string, unknown>>>;

export interface CheckReport {
  readonly status: 'up' | 'down';
  readonly durationMs: number;
  /** On failure only the error's class name or "timed out": the endpoint is open, driver messages name hosts. */
  readonly error?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface ReadinessReport {
  readonly status: 'up' | 'down';
  readonly reason?: 'shutting-down';
  readonly checks: Readonly<Record<string, CheckReport>>;
}

export interface HealthCheckOptions {
  readonly timeoutMs?: number;
}

export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 2_000;

class CheckTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'CheckTimeoutError';
  }
}

/** Races a check against its timeout, always clearing the timer so it cannot hold the process open. */
async function runWithTimeout(
  check: HealthCheck,
  timeoutMs: number,
): Promise<void | Readonly<Record<string, unknown>>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new CheckTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => check(controller.signal)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Named readiness checks (engines reachable, workers progressing). Liveness deliberately checks nothing:
 * a process whose database is down should be taken out of rotation, not restarted.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, { readonly check: HealthCheck; readonly timeoutMs: number }>();
  private shuttingDown = false;

  constructor(private readonly logger?: Logger) {}

  register(name: string, check: HealthCheck, options: HealthCheckOptions = {}): this {
    if (this.checks.has(name)) throw new Error(`health check '${name}' is already registered`);
    this.checks.set(name, { check, timeoutMs: options.timeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS });
    return this;
  }

  /** From now on readiness fails, so load balancers drain this instance before it stops. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Runs every check in parallel; ready only if all are up and no shutdown has begun. */
  async readiness(): Promise<ReadinessReport> {
    // Clients are being closed during shutdown: probing them would only log noise.
    if (this.shuttingDown) return { status: 'down', reason: 'shutting-down', checks: {} };
    const entries = await Promise.all(
      Array.from(this.checks, async ([name, { check, timeoutMs }]): Promise<[string, CheckReport]> => {
        const startedAt = performance.now();
        const durationMs = () => Math.round((performance.now() - startedAt) * 100) / 100;
        try {
          const details = await runWithTimeout(check, timeoutMs);
          return [name, { status: 'up', durationMs: durationMs(), ...(details ? { details } : {}) }];
        } catch (error) {
          this.logger?.warn('health check failed', {
            check: name,
            error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
          });
          const reason =
            error instanceof CheckTimeoutError ? error.message : error instanceof Error ? error.name : 'failed';
          return [name, { status: 'down', durationMs: durationMs(), error: reason }];
        }
      }),
    );
    const allUp = entries.every(([, report]) => report.status === 'up');
    return { status: allUp ? 'up' : 'down', checks: Object.fromEntries(entries) };
  }
}

/** `GET /health/live`: 200 while the process can answer at all. */
export function livenessHandler(service?: string): RequestHandler {
  return (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(200).json({ status: 'up', ...(service === undefined ? {} : { service }) });
  };
}

/** `GET /health/ready`: 200 when every check is up, else 503 with each check's outcome. */
export function readinessHandler(health: HealthRegistry): RequestHandler {
  return async (_req, res) => {
    const report = await health.readiness();
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'up' ? 200 : 503).json(report);
  };
}
