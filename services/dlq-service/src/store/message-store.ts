import { types, type Client } from 'cassandra-driver';
import { AUDIT_ACTIONS, DLQ_STATUSES, type AuditAction, type AuditEntry, type DlqMessage, type DlqStatus, type MessageChange } from '../messages/dlq-message';
import { indexMoves, summaryOf } from './index-facets';

const MESSAGE_COLUMNS = [
  'id', 'source', 'topic', 'original_partition', 'original_offset', 'message_key', 'headers', 'headers_omitted',
  'payload', 'payload_omitted', 'payload_size_bytes', 'payload_sha256', 'event_id', 'event_type', 'aggregate_type',
  'aggregate_id', 'sequence', 'error_class', 'error_code', 'error_message', 'attempts', 'first_failed_at',
  'last_failed_at', 'status', 'status_changed_at', 'replay_count', 'deliveries',
] as const;

const INDEX_COLUMNS = [
  'facet', 'value', 'day', 'failed_at', 'id', 'status', 'source', 'topic', 'error_class', 'event_type', 'aggregate_type',
  'aggregate_id', 'sequence', 'attempts', 'first_failed_at',
] as const;

const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/**
 * The dlq-service's tables (schema/cql/migrations/0008_dead_letters.cql). A change is one logged batch: the
 * message row, its audit entry, and the index rows it leaves and takes. Callers hold the message's lock
 * (MessageLocks), so the state they changed is the state the batch replaces.
 */
export class MessageStore {
  private readonly statements: ReturnType<typeof statementsFor>;

  constructor(
    private readonly client: Client,
    keyspace: string,
  ) {
    this.statements = statementsFor(keyspace);
  }

  async get(id: string): Promise<DlqMessage | undefined> {
    const row = (await this.client.execute(this.statements.selectMessage, [id], { prepare: true })).first();
    // A row holding only a lock is a message being created, not a message.
    return row && row.get('status') !== null ? messageOf(row) : undefined;
  }

  async audit(id: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(this.statements.selectAudit, [id], { prepare: true, fetchSize: 500, ...(pageState ? { pageState } : {}) });
      for (const row of result.rows) entries.push(auditEntryOf(row));
      pageState = result.pageState ?? undefined;
    } while (pageState);
    return entries;
  }

  /** Writes a change of the message `previous` was read as (undefined: a new message). */
  async write(previous: DlqMessage | undefined, { message, audit }: MessageChange): Promise<void> {
    const { remove, write } = indexMoves(previous, message);
    const summary = summaryOf(message);
    const queries = [
      { query: this.statements.upsertMessage, params: messageParams(message) },
      { query: this.statements.insertAudit, params: [message.id, audit.at, audit.entryId, audit.action, audit.actor, JSON.stringify(audit.detail)] },
      ...remove.map((position) => ({
        query: this.statements.deleteIndex,
        params: [position.facet, position.value, position.day, position.failedAt, position.id],
      })),
      ...write.flatMap((position) => [
        {
          query: this.statements.insertIndex,
          params: [
            position.facet, position.value, position.day, position.failedAt, position.id, summary.status, summary.source,
            summary.topic ?? null, summary.errorClass, summary.eventType ?? null, summary.aggregateType ?? null,
            summary.aggregateId ?? null, optionalLong(summary.sequence), summary.attempts, summary.firstFailedAt,
          ],
        },
        { query: this.statements.insertDay, params: [position.facet, position.value, position.day] },
      ]),
    ];
    await this.client.batch(queries, { prepare: true, logged: true, consistency: types.consistencies.localQuorum });
  }
}

function statementsFor(keyspace: string) {
  return {
    selectMessage: `SELECT ${MESSAGE_COLUMNS.join(', ')} FROM ${keyspace}.dlq_messages WHERE id = ?`,
    // Every column but the lock, which only lightweight transactions write (MessageLocks).
    upsertMessage: `INSERT INTO ${keyspace}.dlq_messages (${MESSAGE_COLUMNS.join(', ')}) VALUES (${placeholders(MESSAGE_COLUMNS.length)})`,
    selectAudit: `SELECT at, entry_id, action, actor, detail FROM ${keyspace}.dlq_audit WHERE message_id = ?`,
    insertAudit: `INSERT INTO ${keyspace}.dlq_audit (message_id, at, entry_id, action, actor, detail) VALUES (?, ?, ?, ?, ?, ?)`,
    insertIndex: `INSERT INTO ${keyspace}.dlq_message_index (${INDEX_COLUMNS.join(', ')}) VALUES (${placeholders(INDEX_COLUMNS.length)})`,
    deleteIndex: `DELETE FROM ${keyspace}.dlq_message_index WHERE facet = ? AND value = ? AND day = ? AND failed_at = ? AND id = ?`,
    insertDay: `INSERT INTO ${keyspace}.dlq_index_days (facet, value, day) VALUES (?, ?, ?)`,
  } as const;
}

function messageParams(message: DlqMessage): unknown[] {
  return [
    message.id, message.source, message.topic ?? null, message.originalPartition ?? null,
    message.originalOffset === undefined ? null : types.Long.fromString(message.originalOffset), message.key ?? null,
    message.headers, message.headersOmitted, message.payload ?? null, message.payload === undefined,
    optionalLong(message.payloadSizeBytes), message.payloadSha256 ?? null, message.eventId ?? null, message.eventType ?? null,
    message.aggregateType ?? null, message.aggregateId ?? null, optionalLong(message.sequence), message.errorClass,
    message.errorCode ?? null, message.errorMessage, message.attempts, message.firstFailedAt, message.lastFailedAt,
    message.status, message.statusChangedAt, message.replayCount, [...message.deliveries],
  ];
}

const optionalLong = (value: number | undefined): types.Long | null => (value === undefined ? null : types.Long.fromNumber(value));

const optional = <T>(row: types.Row, column: string): T | undefined => {
  const value = row.get(column) as T | null;
  return value === null ? undefined : value;
};

const optionalNumber = (row: types.Row, column: string): number | undefined => optional<types.Long>(row, column)?.toNumber();

function messageOf(row: types.Row): DlqMessage {
  return {
    id: row.get('id') as string,
    source: row.get('source') as string,
    topic: optional<string>(row, 'topic'),
    originalPartition: optional<number>(row, 'original_partition'),
    originalOffset: optional<types.Long>(row, 'original_offset')?.toString(),
    key: optional<string>(row, 'message_key'),
    headers: optional<Record<string, string>>(row, 'headers') ?? {},
    headersOmitted: row.get('headers_omitted') === true,
    payload: optional<Buffer>(row, 'payload'),
    payloadSizeBytes: optionalNumber(row, 'payload_size_bytes'),
    payloadSha256: optional<string>(row, 'payload_sha256'),
    eventId: optional<string>(row, 'event_id'),
    eventType: optional<string>(row, 'event_type'),
    aggregateType: optional<string>(row, 'aggregate_type'),
    aggregateId: optional<string>(row, 'aggregate_id'),
    sequence: optionalNumber(row, 'sequence'),
    errorClass: row.get('error_class') as string,
    errorCode: optional<string>(row, 'error_code'),
    errorMessage: (row.get('error_message') as string | null) ?? '',
    attempts: row.get('attempts') as number,
    firstFailedAt: row.get('first_failed_at') as Date,
    lastFailedAt: row.get('last_failed_at') as Date,
    status: statusOf(row.get('status') as string),
    statusChangedAt: row.get('status_changed_at') as Date,
    replayCount: (row.get('replay_count') as number | null) ?? 0,
    deliveries: new Set((row.get('deliveries') as string[] | null) ?? []),
  };
}

export function statusOf(value: string): DlqStatus {
  if (!(DLQ_STATUSES as readonly string[]).includes(value)) throw new Error(`unknown dlq status ${value}`);
  return value as DlqStatus;
}

function auditEntryOf(row: types.Row): AuditEntry {
  const action = row.get('action') as string;
  if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) throw new Error(`unknown audit action ${action}`);
  return {
    at: row.get('at') as Date,
    entryId: row.get('entry_id') as string,
    action: action as AuditAction,
    actor: row.get('actor') as string,
    detail: JSON.parse(row.get('detail') as string) as Record<string, unknown>,
  };
}
