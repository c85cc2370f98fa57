import type { RecordedEvent } from '@scylla-es/es-core';
import { types, type Client } from 'cassandra-driver';
import { copyTable, type Copy } from '../copies/copy';
import type { ViewStep } from '../projection/fold';
import type { CqlWrite } from '../projection/cql-write';
import type { ViewStore } from '../projection/stream-projection';
import { customerViewFromRow, orderCountFromRow } from './customer-row';
import type { CustomerView } from './customer-view';

const CUSTOMER_COLUMNS = `customer_id, email, first_name, last_name, phone, status, tier, addresses, payment_methods,
  registered_at, updated_at, last_event_at, version`;

function customerStatements(keyspace: string, copy: Copy) {
  const table = copyTable(keyspace, 'customer_read_model', copy);
  return {
    select: `SELECT ${CUSTOMER_COLUMNS}, order_count FROM ${table} WHERE customer_id = ?`,
    upsert: `INSERT INTO ${table} (${CUSTOMER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    setOrderCount: `UPDATE ${table} SET order_count = ? WHERE customer_id = ?`,
  } as const;
}

/** A customer and the number of orders placed, as the query API answers them. */
export interface CustomerWithOrders {
  readonly view: CustomerView;
  readonly orderCount: number;
}

/**
 * customer_read_model on CQL. A customer event is written with its sequence as the write timestamp, like the
 * order tables. The order count is written by the order stream with the count itself as the timestamp (see the
 * migration): the two never touch each other's cells. One instance per copy of the table.
 */
export class CustomerTables implements ViewStore<CustomerView> {
  private readonly statements: ReturnType<typeof customerStatements>;

  constructor(
    private readonly client: Client,
    keyspace: string,
    readonly copy: Copy,
  ) {
    this.statements = customerStatements(keyspace, copy);
  }

  async load(customerId: string): Promise<CustomerView | null> {
    return (await this.loadWithOrders(customerId))?.view ?? null;
  }

  async loadWithOrders(customerId: string): Promise<CustomerWithOrders | null> {
    const result = await this.client.execute(this.statements.select, [customerId], { prepare: true, consistency: types.consistencies.localQuorum });
    const row = result.first();
    const view = row ? customerViewFromRow(row) : null;
    return row && view ? { view, orderCount: orderCountFromRow(row) } : null;
  }

  async save(_before: CustomerView | null, after: CustomerView, event: RecordedEvent): Promise<void> {
    const { query, params } = this.viewWrite(after, event.sequence);
    await this.client.execute(query, params, { prepare: true, consistency: types.consistencies.localQuorum });
  }

  /** The write of the customer's view as of the event at `sequence`, with that sequence as its timestamp. */
  viewWrite(view: CustomerView, sequence: number): CqlWrite {
    const { customer } = view;
    return {
      query: this.statements.upsert,
      params: [
        customer.id,
        customer.email,
        customer.firstName,
        customer.lastName,
        customer.phone ?? null,
        customer.status,
        customer.tier,
        JSON.stringify(customer.addresses),
        JSON.stringify(customer.paymentMethods),
        customer.registeredAt,
        customer.updatedAt,
        view.lastEventAt,
        long(view.version),
        long(sequence),
      ],
    };
  }

  /** The customer after several events: only the last view counts, written at the last event's sequence. */
  async saveAll(steps: readonly ViewStep<CustomerView>[]): Promise<void> {
    const last = steps.at(-1);
    if (last) await this.save(last.before, last.after, last.event);
  }

  /**
   * Writes the number of the customer's orders, counted in orders_by_customer after one was added there, with
   * the count itself as timestamp: every count sees at least its own order, the last one sees them all, and the
   * highest wins whichever lands last.
   */
  async setOrderCount(customerId: string, count: number): Promise<void> {
    await this.client.execute(this.statements.setOrderCount, [count, customerId], {
      prepare: true,
      consistency: types.consistencies.localQuorum,
      timestamp: long(count),
    });
  }
}

const long = (value: number): types.Long => types.Long.fromNumber(value);
