import type { Client, types } from 'cassandra-driver';
import { DLQ_STATUSES, type DlqStatus } from '../messages/dlq-message';

type CountsByStatus = Record<DlqStatus, number>;

export interface DlqStats {
  readonly total: number;
  readonly byStatus: CountsByStatus;
  readonly bySource: Readonly<Record<string, CountsByStatus>>;
  readonly byErrorClass: Readonly<Record<string, CountsByStatus>>;
  /** The parked message whose last failure is the oldest: how long it has been waiting. */
  readonly oldestParked: { readonly id: string; readonly lastFailedAt: Date; readonly ageSeconds: number } | null;
  readonly computedAt: Date;
}

const zero = (): CountsByStatus => ({ parked: 0, replayed: 0, discarded: 0 });

/**
 * Counts of the messages by status, source and error class. Read from the status facet of the listing index
 * (one narrow row per message), so the cost grows with the number of messages kept: callers reuse a result for
 * a few seconds (StatsCache) instead of reading it per scrape.
 */
export class MessageStats {
  private readonly selectDays: string;
  private readonly selectRows: string;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.selectDays = `SELECT day FROM ${keyspace}.dlq_index_days WHERE facet = 'status' AND value = ?`;
    this.selectRows = `SELECT id, failed_at, source, error_class FROM ${keyspace}.dlq_message_index WHERE facet = 'status' AND value = ? AND day = ?`;
  }

  async read(now: Date = new Date()): Promise<DlqStats> {
    const byStatus = zero();
    const bySource: Record<string, CountsByStatus> = {};
    const byErrorClass: Record<string, CountsByStatus> = {};
    let oldest: { id: string; lastFailedAt: Date } | undefined;
    for (const status of DLQ_STATUSES) {
      for (const dayRow of await this.all(this.selectDays, [status])) {
        for (const row of await this.all(this.selectRows, [status, dayRow.get('day') as string])) {
          const source = row.get('source') as string;
          const errorClass = row.get('error_class') as string;
          byStatus[status] += 1;
          (bySource[source] ??= zero())[status] += 1;
          (byErrorClass[errorClass] ??= zero())[status] += 1;
          const failedAt = row.get('failed_at') as Date;
          if (status === 'parked' && (!oldest || failedAt < oldest.lastFailedAt)) oldest = { id: row.get('id') as string, lastFailedAt: failedAt };
        }
      }
    }
    return {
      total: byStatus.parked + byStatus.replayed + byStatus.discarded,
      byStatus,
      bySource,
      byErrorClass,
      oldestParked: oldest ? { ...oldest, ageSeconds: Math.max(0, (now.getTime() - oldest.lastFailedAt.getTime()) / 1000) } : null,
      computedAt: now,
    };
  }

  private async all(query: string, params: unknown[]): Promise<types.Row[]> {
    const rows: types.Row[] = [];
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(query, params, { prepare: true, fetchSize: 1_000, ...(pageState ? { pageState } : {}) });
      rows.push(...result.rows);
      pageState = result.pageState ?? undefined;
    } while (pageState);
    return rows;
  }
}

/** The last stats for up to `maxAgeMs`; one read at a time however many callers ask meanwhile. */
export class StatsCache {
  private last: DlqStats | undefined;
  private reading: Promise<DlqStats> | undefined;

  constructor(
    private readonly stats: MessageStats,
    private readonly maxAgeMs: number,
  ) {}

  /** The cached stats, read again when older than allowed. */
  get(): Promise<DlqStats> {
    if (this.last && Date.now() - this.last.computedAt.getTime() <= this.maxAgeMs) return Promise.resolve(this.last);
    this.reading ??= this.stats
      .read()
      .then((stats) => (this.last = stats))
      .finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** The stats last read, without reading (metrics scrapes must not fail while the database is down). */
  get latest(): DlqStats | undefined {
    return this.last;
  }
}
