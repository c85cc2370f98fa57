import type { RecordedEvent } from '@scylla-es/es-core';
import { types, type Client } from 'cassandra-driver';
import type { ViewStore } from '../projection/stream-projection';
import { orderRowChanges, type StatusEntryKey } from './order-row-changes';
import { orderViewFromRow } from './order-row';
import { orderTotals, type OrderView } from './order-view';

const ORDER_COLUMNS = `order_id, customer_id, status, items, item_count, total_quantity, created_at, updated_at,
  status_entered_at, tracking_number, carrier, signature, cancellation_reason, cancelled_by, last_event_at, version`;

function orderStatements(keyspace: string) {
  return {
    select: `SELECT ${ORDER_COLUMNS} FROM ${keyspace}.order_read_model WHERE order_id = ?`,
    upsertOrder: `INSERT INTO ${keyspace}.order_read_model (${ORDER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    upsertByCustomer: `INSERT INTO ${keyspace}.orders_by_customer (customer_id, created_at, order_id, status, total_quantity,
      updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    upsertByStatus: `INSERT INTO ${keyspace}.orders_by_status (status, day, entered_at, order_id, customer_id, total_quantity,
      created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    deleteByStatus: `DELETE FROM ${keyspace}.orders_by_status WHERE status = ? AND day = ? AND entered_at = ? AND order_id = ?`,
    upsertStatusDay: `INSERT INTO ${keyspace}.order_status_days (status, day) VALUES (?, ?)`,
  } as const;
}

/**
 * The order read models on CQL: order_read_model, orders_by_customer and orders_by_status. One event's changes
 * to all three are one logged batch, so an order never shows in two status partitions or in none, and the batch
 * is written with the event's sequence as its timestamp: a stale writer racing a newer one cannot win.
 */
export class OrderTables implements ViewStore<OrderView> {
  private readonly statements: ReturnType<typeof orderStatements>;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.statements = orderStatements(keyspace);
  }

  async load(orderId: string): Promise<OrderView | null> {
    const result = await this.client.execute(this.statements.select, [orderId], { prepare: true, consistency: types.consistencies.localQuorum });
    const row = result.first();
    return row ? orderViewFromRow(row) : null;
  }

  async save(before: OrderView | null, after: OrderView, event: RecordedEvent): Promise<void> {
    const changes = orderRowChanges(before, after);
    const { order, version } = after;
    const totals = orderTotals(order);
    const queries = [
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
          after.statusEnteredAt,
          order.trackingNumber ?? null,
          order.carrier ?? null,
          order.signature ?? null,
          order.cancellationReason ?? null,
          order.cancelledBy ?? null,
          after.lastEventAt,
          long(version),
        ],
      },
      {
        query: this.statements.upsertByCustomer,
        params: [order.customerId, order.createdAt, order.id, order.status, totals.totalQuantity, order.updatedAt, long(version)],
      },
      {
        query: this.statements.upsertByStatus,
        params: [...statusKeyParams(changes.statusEntry), order.customerId, totals.totalQuantity, order.createdAt, long(version)],
      },
      { query: this.statements.upsertStatusDay, params: [changes.statusEntry.status, changes.statusEntry.day] },
      ...(changes.leftStatusEntry ? [{ query: this.statements.deleteByStatus, params: statusKeyParams(changes.leftStatusEntry) }] : []),
    ];
    await this.client.batch(queries, {
      prepare: true,
      logged: true,
      consistency: types.consistencies.localQuorum,
      timestamp: long(event.sequence),
    });
  }
}

const statusKeyParams = (key: StatusEntryKey): unknown[] => [key.status, key.day, key.enteredAt, key.orderId];

const long = (value: number): types.Long => types.Long.fromNumber(value);
