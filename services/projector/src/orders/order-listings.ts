import { types, type Client } from 'cassandra-driver';
import { copyTable, type Copy } from '../copies/copy';
import { statusDayOf } from './status-day';

/** A page of a listing and, when more rows follow, the position of its last row. */
export interface Page<Entry, Position> {
  readonly entries: readonly Entry[];
  readonly next?: Position;
}

export interface CustomerOrderEntry {
  readonly orderId: string;
  readonly status: string;
  readonly totalQuantity: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface CustomerOrderPosition {
  readonly createdAt: Date;
  readonly orderId: string;
}

export interface StatusOrderEntry {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  readonly enteredAt: Date;
  readonly totalQuantity: number;
  readonly createdAt: Date;
  readonly version: number;
}

export interface StatusOrderPosition {
  readonly enteredAt: Date;
  readonly orderId: string;
}

/** Day partitions fetched at a time while walking back through a status's days. */
const DAYS_PER_READ = 30;

function listingStatements(keyspace: string, copy: Copy) {
  const table = (name: string) => copyTable(keyspace, name, copy);
  const byCustomer = `SELECT order_id, status, total_quantity, created_at, updated_at, version FROM ${table('orders_by_customer')}`;
  const byStatus = `SELECT order_id, customer_id, status, entered_at, total_quantity, created_at, version FROM ${table('orders_by_status')}`;
  return {
    customerFirst: `${byCustomer} WHERE customer_id = ? LIMIT ?`,
    customerAfter: `${byCustomer} WHERE customer_id = ? AND (created_at, order_id) < (?, ?) LIMIT ?`,
    daysFirst: `SELECT day FROM ${table('order_status_days')} WHERE status = ? LIMIT ?`,
    daysUpTo: `SELECT day FROM ${table('order_status_days')} WHERE status = ? AND day <= ? LIMIT ?`,
    daysBefore: `SELECT day FROM ${table('order_status_days')} WHERE status = ? AND day < ? LIMIT ?`,
    statusFirst: `${byStatus} WHERE status = ? AND day = ? LIMIT ?`,
    statusAfter: `${byStatus} WHERE status = ? AND day = ? AND (entered_at, order_id) < (?, ?) LIMIT ?`,
  } as const;
}

/**
 * The listings behind the query API, newest first. Both order by (time, order id) descending, so a position is
 * a total order and a page starts strictly after the previous one's last row: no row is seen twice or skipped
 * while the rows stay where they are.
 */
export class OrderListings {
  private readonly statements: ReturnType<typeof listingStatements>;

  constructor(
    private readonly client: Client,
    keyspace: string,
    copy: Copy,
  ) {
    this.statements = listingStatements(keyspace, copy);
  }

  async ordersOfCustomer(customerId: string, after: CustomerOrderPosition | undefined, limit: number): Promise<Page<CustomerOrderEntry, CustomerOrderPosition>> {
    const result = after
      ? await this.read(this.statements.customerAfter, [customerId, after.createdAt, after.orderId, limit + 1])
      : await this.read(this.statements.customerFirst, [customerId, limit + 1]);
    const entries = result.map((row) => ({
      orderId: row.get('order_id') as string,
      status: row.get('status') as string,
      totalQuantity: row.get('total_quantity') as number,
      createdAt: row.get('created_at') as Date,
      updatedAt: row.get('updated_at') as Date,
      version: (row.get('version') as types.Long).toNumber(),
    }));
    return pageOf(entries, limit, (last) => ({ createdAt: last.createdAt, orderId: last.orderId }));
  }

  /** Walks the status's day partitions from the newest (or the position's day) back until the page is full. */
  async ordersInStatus(status: string, after: StatusOrderPosition | undefined, limit: number): Promise<Page<StatusOrderEntry, StatusOrderPosition>> {
    const entries: StatusOrderEntry[] = [];
    let days = after
      ? await this.days(this.statements.daysUpTo, [status, statusDayOf(after.enteredAt), DAYS_PER_READ])
      : await this.days(this.statements.daysFirst, [status, DAYS_PER_READ]);
    while (days.length > 0 && entries.length <= limit) {
      for (const day of days) {
        const wanted = limit + 1 - entries.length;
        if (wanted <= 0) break;
        const rows =
          after && day === statusDayOf(after.enteredAt)
            ? await this.read(this.statements.statusAfter, [status, day, after.enteredAt, after.orderId, wanted])
            : await this.read(this.statements.statusFirst, [status, day, wanted]);
        entries.push(...rows.map(statusEntryOf));
      }
      const oldest = days[days.length - 1] as string;
      days = days.length < DAYS_PER_READ ? [] : await this.days(this.statements.daysBefore, [status, oldest, DAYS_PER_READ]);
    }
    return pageOf(entries, limit, (last) => ({ enteredAt: last.enteredAt, orderId: last.orderId }));
  }

  private async read(query: string, params: unknown[]): Promise<types.Row[]> {
    const result = await this.client.execute(query, params, { prepare: true, consistency: types.consistencies.localQuorum });
    return result.rows;
  }

  private async days(query: string, params: unknown[]): Promise<string[]> {
    return (await this.read(query, params)).map((row) => row.get('day') as string);
  }
}

function statusEntryOf(row: types.Row): StatusOrderEntry {
  return {
    orderId: row.get('order_id') as string,
    customerId: row.get('customer_id') as string,
    status: row.get('status') as string,
    enteredAt: row.get('entered_at') as Date,
    totalQuantity: row.get('total_quantity') as number,
    createdAt: row.get('created_at') as Date,
    version: (row.get('version') as types.Long).toNumber(),
  };
}

/** `limit + 1` rows were asked for: the extra one only tells that another page follows. */
function pageOf<Entry, Position>(entries: readonly Entry[], limit: number, positionOf: (last: Entry) => Position): Page<Entry, Position> {
  if (entries.length <= limit) return { entries };
  const page = entries.slice(0, limit);
  return { entries: page, next: positionOf(page[page.length - 1] as Entry) };
}
