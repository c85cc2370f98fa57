import type { Logger } from '@scylla-es/es-core';
import { UniqueValues, UniqueValueTakenError } from '@scylla-es/es-core/cql';
import { normalizeEmail } from '@scylla-es/domain';
import type { Client } from 'cassandra-driver';
import { CustomerEmailTakenError } from './errors';

export const CUSTOMER_EMAIL_SCOPE = 'customer-email';

/** Whether the customer exists and its current email is this one. */
export type EmailHolderCheck = (customerId: string, normalizedEmail: string) => Promise<boolean>;

/**
 * Email uniqueness across customers: a reservation row per normalized address, taken with an LWT before the
 * append and released when the append did not happen. A reservation whose owner never came to exist (or has
 * moved on) is reclaimed by the next registration, so a crash between reserve and append locks nothing forever.
 */
export class CustomerEmails {
  private readonly values: UniqueValues;

  constructor(
    client: Client,
    keyspace: string,
    private readonly holds: EmailHolderCheck,
    private readonly logger: Logger,
  ) {
    this.values = new UniqueValues(client, keyspace, { ownerStillHolds: holds });
  }

  async reserve(email: string, customerId: string): Promise<void> {
    try {
      await this.values.reserve(CUSTOMER_EMAIL_SCOPE, normalizeEmail(email), customerId);
    } catch (error) {
      if (error instanceof UniqueValueTakenError) throw new CustomerEmailTakenError();
      throw error;
    }
  }

  /** After a failed append. Not when the customer does hold it: a duplicate registration must not free it. */
  async releaseUnlessHeld(email: string, customerId: string): Promise<void> {
    const normalized = normalizeEmail(email);
    try {
      if (await this.holds(customerId, normalized)) return;
      await this.values.release(CUSTOMER_EMAIL_SCOPE, normalized, customerId);
    } catch (error) {
      // Left reserved; the next registration of this address reclaims it, as its owner does not hold it.
      this.logger.warn('could not release an email reservation', { customerId, error: describe(error) });
    }
  }

  /** After an email change: the old address is free again. */
  async release(email: string, customerId: string): Promise<void> {
    try {
      await this.values.release(CUSTOMER_EMAIL_SCOPE, normalizeEmail(email), customerId);
    } catch (error) {
      this.logger.warn('could not release a previous email', { customerId, error: describe(error) });
    }
  }
}

const describe = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
