import type { Client, types } from 'cassandra-driver';
import { statusOf } from './message-store';
import { dayOf, drivingFacet, matches, type MessageFilter, type MessageSummary } from './index-facets';

/** Where a listing stopped: the last index row it examined (not necessarily one it returned). */
export interface ListPosition {
  readonly failedAt: Date;
  readonly id: string;
}

export interface ListPage {
  readonly messages: readonly MessageSummary[];
  /** Where the next page starts; undefined on the last page. */
  readonly next?: ListPosition;
}

export interface ListRequest {
  readonly filter: MessageFilter;
  readonly after?: ListPosition;
  readonly limit: number;
  /** Index rows examined at most: past it the page is cut short and `next` says where to go on. */
  readonly scanBudget: number;
}

// Stand for "after everything" in a position compared as (failed_at, id): ids are UUIDs, all below '~'.
const ABOVE_EVERY_ID = '~';
const LAST_TIME = new Date('9999-12-31T23:59:59.999Z');
const FETCH_SIZE = 200;

/**
 * Listings newest last failure first, read from the index partitions of the filter's most selective attribute
 * (index-facets.ts), day by day through dlq_index_days, each day from the upper bound down. Other attributes are
 * matched on the index rows. Every page ends strictly after the previous one's position, so a message stays on
 * exactly one page while it does not move (a new failure or status change moves it, as it should).
 */
export class MessageListing {
  private readonly statements: ReturnType<typeof statementsFor>;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.statements = statementsFor(keyspace);
  }

  async list({ filter, after, limit, scanBudget }: ListRequest): Promise<ListPage> {
    const { facet, value } = drivingFacet(filter);
    const upper = upperBound(filter, after);
    const lowerDay = filter.from ? dayOf(filter.from) : '0000-00-00';
    const found: MessageSummary[] = [];
    let examined = 0;
    let last: ListPosition | undefined;
    for await (const day of this.days(facet, value, dayOf(upper.failedAt), lowerDay)) {
      for await (const row of this.rows(facet, value, day, upper, filter.from)) {
        const summary = summaryOf(row);
        examined += 1;
        if (matches(summary, filter)) {
          // One match past the page proves there is a next page.
          if (found.length === limit) return { messages: found, next: last };
          found.push(summary);
        }
        last = { failedAt: summary.lastFailedAt, id: summary.id };
        if (examined >= scanBudget) return { messages: found, next: last };
      }
    }
    return { messages: found };
  }

  private async *days(facet: string, value: string, upperDay: string, lowerDay: string): AsyncGenerator<string> {
    yield* this.paged(this.statements.selectDays, [facet, value, upperDay, lowerDay], (row) => row.get('day') as string);
  }

  private async *rows(facet: string, value: string, day: string, upper: ListPosition, from: Date | undefined): AsyncGenerator<types.Row> {
    const lower: ListPosition = { failedAt: from ?? new Date(0), id: '' };
    yield* this.paged(this.statements.selectIndex, [facet, value, day, upper.failedAt, upper.id, lower.failedAt, lower.id], (row) => row);
  }

  private async *paged<T>(query: string, params: unknown[], map: (row: types.Row) => T): AsyncGenerator<T> {
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(query, params, { prepare: true, fetchSize: FETCH_SIZE, ...(pageState ? { pageState } : {}) });
      for (const row of result.rows) yield map(row);
      pageState = result.pageState ?? undefined;
    } while (pageState);
  }
}

/** Rows strictly before this position (in listing order) are the ones left to list. */
function upperBound(filter: MessageFilter, after: ListPosition | undefined): ListPosition {
  // `to` is exclusive: every id at `to` itself is above the bound.
  const to: ListPosition = filter.to ? { failedAt: filter.to, id: '' } : { failedAt: LAST_TIME, id: ABOVE_EVERY_ID };
  if (!after) return to;
  const afterFirst = after.failedAt.getTime() < to.failedAt.getTime() || (after.failedAt.getTime() === to.failedAt.getTime() && after.id < to.id);
  return afterFirst ? after : to;
}

function statementsFor(keyspace: string) {
  return {
    selectDays: `SELECT day FROM ${keyspace}.dlq_index_days WHERE facet = ? AND value = ? AND day <= ? AND day >= ?`,
    selectIndex: `SELECT id, failed_at, status, source, topic, error_class, event_type, aggregate_type, aggregate_id, sequence,
      attempts, first_failed_at FROM ${keyspace}.dlq_message_index
      WHERE facet = ? AND value = ? AND day = ? AND (failed_at, id) < (?, ?) AND (failed_at, id) >= (?, ?)`,
  } as const;
}

function summaryOf(row: types.Row): MessageSummary {
  const optional = <T>(column: string): T | undefined => (row.get(column) as T | null) ?? undefined;
  return {
    id: row.get('id') as string,
    status: statusOf(row.get('status') as string),
    source: row.get('source') as string,
    topic: optional<string>('topic'),
    errorClass: row.get('error_class') as string,
    eventType: optional<string>('event_type'),
    aggregateType: optional<string>('aggregate_type'),
    aggregateId: optional<string>('aggregate_id'),
    sequence: optional<types.Long>('sequence')?.toNumber(),
    attempts: row.get('attempts') as number,
    firstFailedAt: row.get('first_failed_at') as Date,
    lastFailedAt: row.get('failed_at') as Date,
  };
}
