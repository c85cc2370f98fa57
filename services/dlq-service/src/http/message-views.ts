import type { AuditEntry, DlqMessage } from '../messages/dlq-message';
import type { MessageSummary } from '../store/index-facets';
import type { DlqStats } from '../store/message-stats';

/** A listing row. */
export const summaryView = (summary: MessageSummary): object => ({
  ...summary,
  firstFailedAt: summary.firstFailedAt.toISOString(),
  lastFailedAt: summary.lastFailedAt.toISOString(),
});

/** The payload as text when it is UTF-8 (JSON envelopes are), else base64. */
function payloadView(message: DlqMessage): object {
  const { payload } = message;
  const meta = { omitted: payload === undefined, sizeBytes: message.payloadSizeBytes ?? null, sha256: message.payloadSha256 ?? null };
  if (!payload) return meta;
  const text = payload.toString('utf8');
  return Buffer.from(text, 'utf8').equals(payload) ? { ...meta, encoding: 'utf8', data: text } : { ...meta, encoding: 'base64', data: payload.toString('base64') };
}

/** One message with everything it holds and its audit trail. */
export function messageView(message: DlqMessage, audit: readonly AuditEntry[]): object {
  return {
    id: message.id,
    status: message.status,
    source: message.source,
    original: {
      topic: message.topic ?? null,
      partition: message.originalPartition ?? null,
      offset: message.originalOffset ?? null,
      key: message.key ?? null,
      headers: message.headers,
      headersOmitted: message.headersOmitted,
    },
    payload: payloadView(message),
    event: {
      eventId: message.eventId ?? null,
      eventType: message.eventType ?? null,
      aggregateType: message.aggregateType ?? null,
      aggregateId: message.aggregateId ?? null,
      sequence: message.sequence ?? null,
    },
    error: { class: message.errorClass, code: message.errorCode ?? null, message: message.errorMessage },
    attempts: message.attempts,
    firstFailedAt: message.firstFailedAt.toISOString(),
    lastFailedAt: message.lastFailedAt.toISOString(),
    statusChangedAt: message.statusChangedAt.toISOString(),
    replayCount: message.replayCount,
    deadLetterDeliveries: [...message.deliveries],
    audit: audit.map((entry) => ({ at: entry.at.toISOString(), action: entry.action, actor: entry.actor, detail: entry.detail })),
  };
}

export function statsView(stats: DlqStats): object {
  return {
    ...stats,
    oldestParked: stats.oldestParked ? { ...stats.oldestParked, lastFailedAt: stats.oldestParked.lastFailedAt.toISOString() } : null,
    computedAt: stats.computedAt.toISOString(),
  };
}
