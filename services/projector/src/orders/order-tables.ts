import type { RecordedEvent } from '@scylla-es/es-core';
import { types, type Client } from 'cassandra-driver';
import { copyTable, type Copy } from '../copies/copy';
import type { ViewStore } from '../projection/stream-projection';
import type { ViewStep } from '../projection/fold';
import { foldedOrderOf, statusDaysOf, type FoldedOrder, type StatusDay } from './order-fold';
import { orderRowChanges, statusEntryOf, type StatusEntryKey } from './order-row-changes';
import type { CqlWrite } from '../projection/cql-write';
import { orderViewFromRow } from './order-row';
import { orderTotals, type OrderView } from './order-view';

const ORDER_COLUMNS = `order_id, customer_id, status, items, item_count, total_quantity, created_at, updated_at,
  status_entered_at, tracking_number, carrier, signature, cancellation_reason, cancelled_by, last_event_at, version`;

function orderStatements(keyspace: string, copy: Copy) {
  const table = (name: string) => copyTable(keyspace, name, copy);
  // Every write names its own timestamp (the sequence of the event it reflects), so the writes of several
  // orders, each at its own sequence, can share one batch (a rebuild's bulk writes).
  return {
    select: `SELECT ${ORDER_COLUMNS} FROM ${table('order_read_model')} WHERE order_id = ?`,
    upsertOrder: `INSERT INTO ${table('order_read_model')} (${ORDER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    upsertByCustomer: `INSERT INTO ${table('orders_by_customer')} (customer_id, created_at, order_id, status, total_quantity,
      updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    upsertByStatus: `INSERT INTO ${table('orders_by_status')} (status, day, entered_at, order_id, customer_id, total_quantity,
      created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    deleteByStatus: `DELETE FROM ${table('orders_by_status')} USING TIMESTAMP ? WHERE status = ? AND day = ? AND entered_at = ? AND order_id = ?`,
    upsertStatusDay: `INSERT INTO ${table('order_status_days')} (status, day) VALUES (?, ?) USING TIMESTAMP ?`,
    countByCustomer: `SELECT COUNT(*) AS orders FROM ${table('orders_by_customer')} WHERE customer_id = ?`,
  } as const;
}

/**
 * The order read models on CQL: order_read_model, orders_by_customer and orders_by_status. One event's changes
 * to all three are one logged batch, so an order never shows in two status partitions or in none, and every
 * write carries the event's sequence as its timestamp: a stale writer racing a newer one cannot win.
 * One instance per copy of the tables.
 */
export class OrderTables implements ViewStore<OrderView> {
  private readonly statements: ReturnType<typeof orderStatements>;

  constructor(
    private readonly client: Client,
    keyspace: string,
    readonly copy: Copy,
  ) {
    this.statements = orderStatements(keyspace, copy);
  }

  async load(orderId: string): Promise<OrderView | null> {
    const result = await this.client.execute(this.statements.select, [orderId], { prepare: true, consistency: types.consistencies.localQuorum });
    const row = result.first();
    return row ? orderViewFromRow(row) : null;
  }

  async save(before: OrderView | null, after: OrderView, event: RecordedEvent): Promise<void> {
    const { statusEntry, leftStatusEntry } = orderRowChanges(before, after);
    await this.writeLogged([
      ...this.rowWrites(after, statusEntry, event.sequence),
      this.statusDayWrite(statusEntry, event.sequence),
      ...(leftStatusEntry ? [this.deleteStatusEntry(leftStatusEntry, event.sequence)] : []),
    ]);
  }

  /** The order after several events in one logged batch: the rows their saves one by one would have left. */
  async saveAll(steps: readonly ViewStep<OrderView>[]): Promise<void> {
    const folded = foldedOrderOf(steps);
    if (folded) await this.writeLogged(this.foldedWrites(folded));
  }

  /**
   * The writes of an order folded over several events, leaving what single writes would have left after the
   * last: the final rows, the given status days (by default one for every status entry the order passed
   * through), and the delete of every entry it left, each at the sequence of the event that left it, as the live
   * path deletes it. A writer may have put such an entry in before (a live writer into a copy a rebuild fills);
   * no writer inserts it at or after that sequence, so the delete is final.
   */
  foldedWrites(folded: FoldedOrder, statusDays: readonly StatusDay[] = statusDaysOf(folded.visited)): CqlWrite[] {
    const { sequence } = folded.last;
    return [
      ...this.rowWrites(folded.view, statusEntryOf(folded.view), sequence),
      ...statusDays.map((statusDay) => this.statusDayWrite(statusDay, sequence)),
      ...folded.left.map(({ entry, sequence: leftAt }) => this.deleteStatusEntry(entry, leftAt)),
    ];
  }

  private rowWrites(view: OrderView, statusEntry: StatusEntryKey, sequence: number): CqlWrite[] {
    const { order, version } = view;
    const totals = orderTotals(order);
    const timestamp = long(sequence);
    return [
      {
        query: this.statements.upsertOrder,
        params: [
          order.id,
          order.customerId,
          order.status,
          JSON.stringify(order.items),
          totals.itemCount,
          totals.totalQuantity,
          order.createdAt,
          order.updatedAt,
          view.statusEnteredAt,
          order.trackingNumber ?? null,
          order.carrier ?? null,
          order.signature ?? null,
          order.cancellationReason ?? null,
          order.cancelledBy ?? null,
          view.lastEventAt,
          long(version),
          timestamp,
        ],
      },
      {
        query: this.statements.upsertByCustomer,
        params: [order.customerId, order.createdAt, order.id, order.status, totals.totalQuantity, order.updatedAt, long(version), timestamp],
      },
      {
        query: this.statements.upsertByStatus,
        params: [...statusKeyParams(statusEntry), order.customerId, totals.totalQuantity, order.createdAt, long(version), timestamp],
      },
    ];
  }

  private statusDayWrite({ status, day }: StatusDay, sequence: number): CqlWrite {
    return { query: this.statements.upsertStatusDay, params: [status, day, long(sequence)] };
  }

  private deleteStatusEntry(entry: StatusEntryKey, sequence: number): CqlWrite {
    return { query: this.statements.deleteByStatus, params: [long(sequence), ...statusKeyParams(entry)] };
  }

  private async writeLogged(writes: CqlWrite[]): Promise<void> {
    await this.client.batch(writes, { prepare: true, logged: true, consistency: types.consistencies.localQuorum });
  }

  /** The number of the customer's orders in this copy: the rows of its orders_by_customer partition. */
  async countOrdersOf(customerId: string): Promise<number> {
    const result = await this.client.execute(this.statements.countByCustomer, [customerId], { prepare: true, consistency: types.consistencies.localQuorum });
    return (result.first()?.get('orders') as types.Long | undefined)?.toNumber() ?? 0;
  }
}

const statusKeyParams = (key: StatusEntryKey): unknown[] => [key.status, key.day, key.enteredAt, key.orderId];

const long = (value: number): types.Long => types.Long.fromNumber(value);
