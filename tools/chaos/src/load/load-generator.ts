import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendUntilSettled, type CommandRequest } from './command-sender';
import type { CommandLedger, CommandRecord, FinalOutcome } from './ledger';
import { customerLife, orderLife, type Life } from './lives';
import { RateLimiter } from './rate-limiter';

export interface LoadOptions {
  readonly commandUrl: string;
  readonly writeToken: string;
  readonly ratePerSecond: number;
  /** How long, after the load stopped, a command still waiting for a settling answer keeps being retried. */
  readonly settleGraceMs: number;
}

const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * A steady mixed load of order and customer commands: lives (one aggregate's commands, in order) run side by side,
 * as many as the rate needs, and every command goes into the ledger with how each of its attempts ended.
 */
export class LoadGenerator {
  private readonly limiter: RateLimiter;
  private readonly customersTakingOrders: string[] = [];
  private running = false;
  private stoppedAt = Number.POSITIVE_INFINITY;
  private lives: Promise<void>[] = [];

  constructor(
    private readonly ledger: CommandLedger,
    private readonly options: LoadOptions,
  ) {
    this.limiter = new RateLimiter(options.ratePerSecond);
  }

  start(): void {
    this.running = true;
    const concurrentLives = Math.max(8, Math.ceil(this.options.ratePerSecond / 2));
    this.lives = Array.from({ length: concurrentLives }, () => this.liveOn());
  }

  /** Stops starting commands, then waits for those in flight to settle (or give up after the grace period). */
  async stop(): Promise<void> {
    this.running = false;
    this.stoppedAt = Date.now();
    await Promise.all(this.lives);
  }

  /** One command sent alone, outside the load's lives (a recovery probe), recorded in the same ledger. */
  async sendOne(name: string, life: Pick<Life, 'kind' | 'aggregateId'>, request: CommandRequest, giveUpAt: number): Promise<FinalOutcome> {
    const record = this.ledger.open({ key: `probe-${randomUUID()}`, aggregateKind: life.kind, aggregateId: life.aggregateId, name, expectRejection: false });
    return sendUntilSettled(record, request, { ...this.senderOptions(), beforeAttempt: async () => undefined }, () => giveUpAt);
  }

  private async liveOn(): Promise<void> {
    while (this.running) {
      const life = this.nextLife();
      for (const step of life.steps) {
        if (!this.running) break;
        const record: CommandRecord = this.ledger.open({
          key: `chaos-${randomUUID()}`,
          aggregateKind: life.kind,
          aggregateId: life.aggregateId,
          name: step.name,
          expectRejection: step.expectRejection,
        });
        const outcome = await sendUntilSettled(record, step.request, this.senderOptions(), () => this.stoppedAt + this.options.settleGraceMs);
        if (outcome.kind === 'unresolved') break;
        if (step.name === 'register' && outcome.kind === 'acknowledged' && life.takesOrders) this.customersTakingOrders.push(life.aggregateId);
        if (step.name === 'register' && outcome.kind !== 'acknowledged') break;
        if (step.name === 'create order' && outcome.kind !== 'acknowledged') break;
      }
      // A life that broke off on an outage leaves room: a short pause keeps lives from spinning while nothing answers.
      if (this.running) await sleep(randomInt(50));
    }
  }

  private nextLife(): Life {
    const customers = this.customersTakingOrders;
    if (customers.length === 0 || randomInt(3) === 0) return customerLife();
    return orderLife(customers[randomInt(customers.length)] as string);
  }

  private senderOptions() {
    return {
      baseUrl: this.options.commandUrl,
      token: this.options.writeToken,
      attemptTimeoutMs: ATTEMPT_TIMEOUT_MS,
      beforeAttempt: () => this.limiter.take(),
    };
  }
}
