import { tracker } from 'cassandra-driver';
import { Counter, type Registry } from 'prom-client';

type TrackedQuery = string | Array<{ query: string }>;

// A write (or a batch of writes) with `IF NOT EXISTS`, `IF EXISTS` or `IF <column> …`: a conditional statement.
const WRITE = /^\s*(INSERT|UPDATE|DELETE|BEGIN)\b/i;
const CONDITION = /\bIF\s+(NOT\s+EXISTS|EXISTS|"?\w+"?\s*(=|!=|<|>|IN\b))/i;
const conditional = (statement: string): boolean => WRITE.test(statement) && CONDITION.test(statement);

/** Whether a statement (or a batch holding one) is a lightweight transaction: a Paxos round, not one write. */
export function isLightweightTransaction(query: TrackedQuery): boolean {
  return typeof query === 'string' ? conditional(query) : query.some((statement) => conditional(statement.query));
}

/**
 * Counts the lightweight transactions the driver sent (`cql_lightweight_transactions_total`), answered or not:
 * each costs several round trips between replicas, so an idle service's LWT rate is a figure worth watching.
 */
export function createLwtCounter(registry: Registry): tracker.RequestTracker {
  return new LwtCounter(registry);
}

// The driver accepts only instances of its own tracker class (an `instanceof` check), which its typings declare
// as an interface only.
const DriverRequestTracker = (tracker as unknown as { RequestTracker: new () => tracker.RequestTracker }).RequestTracker;

class LwtCounter extends DriverRequestTracker {
  private readonly transactions: Counter;

  constructor(registry: Registry) {
    super();
    this.transactions = new Counter({
      name: 'cql_lightweight_transactions_total',
      help: 'Conditional statements (lightweight transactions) the driver sent',
      registers: [registry],
    });
  }

  override onSuccess(_host: unknown, query: TrackedQuery): void {
    if (isLightweightTransaction(query)) this.transactions.inc();
  }

  override onError(_host: unknown, query: TrackedQuery): void {
    if (isLightweightTransaction(query)) this.transactions.inc();
  }

  override shutdown(): void {}
}
