import { types, type Client } from 'cassandra-driver';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StoredEvent {
  readonly aggregateId: string;
  readonly sequence: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly commandId: string | null;
  readonly headVersion: number | null;
  readonly data: Record<string, unknown>;
}

export interface LoggedInsert {
  readonly aggregateId: string;
  readonly sequence: number;
  readonly eventId: string | null;
}

const long = (value: unknown): number | null => (value instanceof types.Long ? value.toNumber() : null);

/** Every event row of the keyspace (a test keyspace is small enough to scan). */
export async function storedEvents(cql: Client, keyspace: string): Promise<StoredEvent[]> {
  const result = await cql.execute(
    `SELECT aggregate_id, sequence, event_id, event_type, command_id, version, data FROM ${keyspace}.event_store`,
    [],
    { prepare: true, fetchSize: 100_000, consistency: types.consistencies.localQuorum },
  );
  return result.rows
    .filter((row) => row.get('sequence') !== null)
    .map((row) => ({
      aggregateId: row.get('aggregate_id') as string,
      sequence: long(row.get('sequence')) ?? -1,
      eventId: String(row.get('event_id')),
      eventType: row.get('event_type') as string,
      commandId: row.get('command_id') as string | null,
      headVersion: long(row.get('version')),
      data: JSON.parse(row.get('data') as string) as Record<string, unknown>,
    }));
}

/** The row inserts (cdc$operation 2) of event rows in the CDC log: what the relay would publish. */
export async function loggedInserts(cql: Client, keyspace: string): Promise<LoggedInsert[]> {
  const result = await cql.execute(
    `SELECT aggregate_id, sequence, event_id, "cdc$operation" AS operation FROM ${keyspace}.event_store_scylla_cdc_log`,
    [],
    { prepare: true, fetchSize: 100_000 },
  );
  return result.rows
    .filter((row) => row.get('operation') === 2 && row.get('sequence') !== null)
    .map((row) => ({
      aggregateId: row.get('aggregate_id') as string,
      sequence: long(row.get('sequence')) ?? -1,
      eventId: row.get('event_id') === null ? null : String(row.get('event_id')),
    }));
}

/**
 * Problems with the store/outbox invariant: per aggregate the sequences are 1..N with the head at N; every stored
 * event has its insert in the CDC log, every insert of a (aggregate, sequence) carries that stored event's id (none
 * overwritten), and the log has no insert the store does not hold.
 *
 * One stored event may have more than one IDENTICAL insert: Cassandra's Paxos (v1) completes a competitor's
 * accepted-but-uncommitted proposal by re-committing it under its own, newer ballot timestamp, and the CDC
 * emulation logs each commit. Same event id and content, so consumers dedupe it (delivery is at-least-once
 * anyway); such repeats are counted in `duplicateInserts`, not reported as violations.
 */
export function invariantViolations(
  stored: readonly StoredEvent[],
  logged: readonly LoggedInsert[],
): { violations: string[]; duplicateInserts: number } {
  const problems: string[] = [];
  const byAggregate = new Map<string, StoredEvent[]>();
  for (const event of stored) byAggregate.set(event.aggregateId, [...(byAggregate.get(event.aggregateId) ?? []), event]);
  for (const [aggregateId, events] of byAggregate) {
    const sequences = events.map((event) => event.sequence).sort((a, b) => a - b);
    sequences.forEach((sequence, index) => {
      if (sequence !== index + 1) problems.push(`${aggregateId}: sequence ${sequence} at position ${index + 1}`);
    });
    const heads = new Set(events.map((event) => event.headVersion));
    if (heads.size !== 1 || !heads.has(sequences.length)) {
      problems.push(`${aggregateId}: head ${[...heads].join('/')} but ${sequences.length} events`);
    }
  }
  const inserts = new Map<string, LoggedInsert[]>();
  for (const insert of logged) {
    const key = `${insert.aggregateId}#${insert.sequence}`;
    inserts.set(key, [...(inserts.get(key) ?? []), insert]);
  }
  let duplicateInserts = 0;
  for (const event of stored) {
    const key = `${event.aggregateId}#${event.sequence}`;
    const found = inserts.get(key) ?? [];
    if (found.length === 0) problems.push(`${key}: stored but not in the CDC log`);
    for (const insert of found) {
      if (insert.eventId !== event.eventId) problems.push(`${key}: CDC insert of event ${insert.eventId}, store has ${event.eventId}`);
    }
    duplicateInserts += Math.max(0, found.length - 1);
    inserts.delete(key);
  }
  for (const [key] of inserts) problems.push(`${key}: in the CDC log but not in the store`);
  return { violations: problems, duplicateInserts };
}

/**
 * Waits (the CDC emulation trails the writes by a few hundred milliseconds) until the invariant holds, and
 * returns the last observation; the caller asserts `violations` is empty.
 */
export async function settledStore(
  cql: Client,
  keyspace: string,
  timeoutMs = 60_000,
): Promise<{ stored: StoredEvent[]; logged: LoggedInsert[]; violations: string[]; duplicateInserts: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await storedEvents(cql, keyspace);
    const logged = await loggedInserts(cql, keyspace);
    const { violations, duplicateInserts } = invariantViolations(stored, logged);
    if (violations.length === 0 || Date.now() > deadline) return { stored, logged, violations, duplicateInserts };
    await sleep(250);
  }
}
