import { percentile } from '@scylla-es/es-core/testing';

export type AggregateKind = 'Order' | 'Customer';

/** How one HTTP attempt of a command ended, as the client saw it. */
export type AttemptResult =
  | { readonly kind: 'acknowledged'; readonly version: number; readonly replayed: boolean }
  | { readonly kind: 'rejected'; readonly status: number; readonly problem: string }
  /** An answer that settles nothing (503, 409 still in progress, another 5xx): the same key is sent again. */
  | { readonly kind: 'unavailable'; readonly status: number; readonly problem: string }
  /** No answer: the client gave up waiting, or the connection failed. The command may or may not have run. */
  | { readonly kind: 'timed-out'; readonly reason: string };

/** An attempt's result and how long the client waited for it. */
export type AttemptOutcome = AttemptResult & { readonly ms: number };

/** How a command ended: its last attempt's outcome, or unresolved when no attempt ever settled it. */
export type FinalOutcome =
  | { readonly kind: 'acknowledged'; readonly version: number }
  | { readonly kind: 'rejected'; readonly status: number; readonly problem: string }
  | { readonly kind: 'unresolved' };

/** One command: one Idempotency-Key, which the command-service also stores as the events' command id. */
export interface CommandRecord {
  readonly key: string;
  readonly aggregateKind: AggregateKind;
  readonly aggregateId: string;
  readonly name: string;
  /** The load sent it knowing the domain would refuse it (a rule violation on purpose). */
  readonly expectRejection: boolean;
  readonly attempts: AttemptOutcome[];
  final?: FinalOutcome;
}

/** Every command the storm sent, for the checker to hold against what the stores hold. */
export class CommandLedger {
  private readonly records = new Map<string, CommandRecord>();

  open(record: Omit<CommandRecord, 'attempts' | 'final'>): CommandRecord {
    const opened: CommandRecord = { ...record, attempts: [] };
    this.records.set(record.key, opened);
    return opened;
  }

  get commands(): readonly CommandRecord[] {
    return [...this.records.values()];
  }

  byKey(key: string): CommandRecord | undefined {
    return this.records.get(key);
  }

  /** Every aggregate a command addressed, with its kind. */
  aggregates(): Map<string, AggregateKind> {
    return new Map(this.commands.map((command) => [command.aggregateId, command.aggregateKind]));
  }
}

export interface LoadFigures {
  readonly commands: number;
  readonly requests: number;
  readonly acknowledged: number;
  readonly rejected: number;
  readonly rejectedAsIntended: number;
  /** Commands with at least one attempt left without an answer. */
  readonly timedOut: number;
  /** Commands with at least one answer that settled nothing (503, in progress). */
  readonly unavailable: number;
  readonly unresolved: number;
  readonly idempotentReplays: number;
  /** Latency of the attempts that were acknowledged, milliseconds. */
  readonly acknowledgedP50Ms: number;
  readonly acknowledgedP99Ms: number;
}

export function loadFigures(commands: readonly CommandRecord[]): LoadFigures {
  const latencies = commands.flatMap((command) => command.attempts.filter((attempt) => attempt.kind === 'acknowledged').map((attempt) => attempt.ms));
  const count = (predicate: (command: CommandRecord) => boolean) => commands.filter(predicate).length;
  return {
    commands: commands.length,
    requests: commands.reduce((sum, command) => sum + command.attempts.length, 0),
    acknowledged: count((command) => command.final?.kind === 'acknowledged'),
    rejected: count((command) => command.final?.kind === 'rejected'),
    rejectedAsIntended: count((command) => command.final?.kind === 'rejected' && command.expectRejection),
    timedOut: count((command) => command.attempts.some((attempt) => attempt.kind === 'timed-out')),
    unavailable: count((command) => command.attempts.some((attempt) => attempt.kind === 'unavailable')),
    unresolved: count((command) => command.final === undefined || command.final.kind === 'unresolved'),
    idempotentReplays: commands.reduce(
      (sum, command) => sum + command.attempts.filter((attempt) => attempt.kind === 'acknowledged' && attempt.replayed).length,
      0,
    ),
    acknowledgedP50Ms: percentile(latencies, 50),
    acknowledgedP99Ms: percentile(latencies, 99),
  };
}
