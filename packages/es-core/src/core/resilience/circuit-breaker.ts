/**
 * A circuit breaker: after `failureThreshold` CONSECUTIVE failures it opens and rejects calls without making
 * them; after `cooldownMs` the next call is let through as the single trial (half-open); its success closes
 * the circuit, its failure opens it for another cool-down.
 *
 * Consecutive failures rather than a failure ratio over a window: the relay publishes one batch at a time, so a
 * window would hold a handful of calls and its ratio would be noise; N failures in a row is what "the broker is
 * down" looks like from there. Transitions happen lazily on `execute` (no timers), so the clock is injectable
 * and an idle breaker costs nothing.
 */

/**
 * Numeric on purpose: the value is exported as the `*_circuit_state` gauge, and the alert rule
 * `cdc_relay_circuit_state == 2` (infra/prometheus/alerts.yml) depends on 2 meaning open.
 */
export const CircuitState = {
  Closed: 0,
  HalfOpen: 1,
  Open: 2,
} as const;
export type CircuitState = (typeof CircuitState)[keyof typeof CircuitState];

export function circuitStateName(state: CircuitState): 'closed' | 'half-open' | 'open' {
  return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
}

/** Thrown by `execute` instead of calling through while the circuit is open (or its trial is in flight). */
export class CircuitOpenError extends Error {
  constructor(
    readonly circuit: string,
    /** How long until the circuit half-opens; 0 while another caller's trial decides. */
    readonly retryAfterMs: number,
  ) {
    super(`circuit '${circuit}' is open; calls are refused for another ${retryAfterMs} ms`);
    this.name = 'CircuitOpenError';
  }
}

export interface CircuitBreakerOptions {
  /** Names the circuit in errors and logs, e.g. "redpanda". */
  readonly name: string;
  /** Consecutive failures that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before a trial. Default 10 s. */
  readonly cooldownMs?: number;
  /**
   * Which errors say the dependency is unhealthy. Default: all. An error the dependency answered with
   * deliberately (e.g. "this message is too large") proves it is up: that counts as a success.
   */
  readonly isFailure?: (error: unknown) => boolean;
  readonly onStateChange?: (state: CircuitState, previous: CircuitState) => void;
  /** Milliseconds since some epoch; Date.now by default. */
  readonly now?: () => number;
}

export class CircuitBreaker {
  private current: CircuitState = CircuitState.Closed;
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 10_000;
    this.now = options.now ?? Date.now;
    if (!(this.failureThreshold >= 1) || !(this.cooldownMs >= 0)) {
      throw new RangeError(`invalid circuit breaker: threshold ${this.failureThreshold}, cool-down ${this.cooldownMs} ms`);
    }
  }

  /** 0 closed, 1 half-open, 2 open: what the metrics gauge shows. */
  get state(): CircuitState {
    return this.current;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }

  /** How long calls will still be refused: the rest of the cool-down while open, else 0. */
  get retryAfterMs(): number {
    return this.current === CircuitState.Open ? Math.max(0, this.openedAt + this.cooldownMs - this.now()) : 0;
  }

  async execute<T>(operation: () => Promise<T>): Promise<T> {
    this.admit();
    const isTrial = this.current === CircuitState.HalfOpen;
    if (isTrial) this.trialInFlight = true;
    try {
      const result = await operation();
      this.recordSuccess();
      return result;
    } catch (error) {
      if (this.options.isFailure?.(error) ?? true) this.recordFailure();
      else this.recordSuccess();
      throw error;
    } finally {
      if (isTrial) this.trialInFlight = false;
    }
  }

  /** Throws CircuitOpenError unless the call may go through; moves open → half-open once cooled down. */
  private admit(): void {
    if (this.current === CircuitState.Open) {
      const remaining = this.retryAfterMs;
      if (remaining > 0) throw new CircuitOpenError(this.options.name, remaining);
      this.transition(CircuitState.HalfOpen);
    }
    if (this.current === CircuitState.HalfOpen && this.trialInFlight) {
      throw new CircuitOpenError(this.options.name, 0);
    }
  }

  private recordSuccess(): void {
    this.consecutiveFailures = 0;
    if (this.current !== CircuitState.Closed) this.transition(CircuitState.Closed);
  }

  private recordFailure(): void {
    this.consecutiveFailures += 1;
    const tripped = this.current === CircuitState.HalfOpen || this.consecutiveFailures >= this.failureThreshold;
    if (tripped && this.current !== CircuitState.Open) {
      this.openedAt = this.now();
      this.transition(CircuitState.Open);
    }
  }

  private transition(next: CircuitState): void {
    const previous = this.current;
    this.current = next;
    this.options.onStateChange?.(next, previous);
  }
}
