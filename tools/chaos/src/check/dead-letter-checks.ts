import { DeadLetterHeader, type ConsumedMessage } from '@scylla-es/es-core/kafka';
import { checkResult, type CheckResult } from './check-result';

interface DlqSummary {
  readonly id: string;
  readonly source: string;
  readonly status: string;
  readonly aggregateId?: string;
  readonly eventType?: string;
  readonly errorClass: string;
}

interface ParkedEntry {
  readonly aggregateId: string;
}

async function allPages<Row>(url: string, token: string, rowsOf: (body: Record<string, unknown>) => Row[]): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const response = await fetch(`${url}${cursor === null ? '' : `${separator}cursor=${encodeURIComponent(cursor)}`}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as Record<string, unknown>;
    rows.push(...rowsOf(body));
    cursor = (body.next as string | null | undefined) ?? null;
  } while (cursor !== null);
  return rows;
}

export interface DeadLetterSources {
  readonly dlqUrl: string;
  readonly projectorUrl: string;
  readonly adminToken: string;
  /** The storm's start: older dead letters belong to someone else (compose stacks keep theirs). */
  readonly since: Date;
  /** The dead-letter topic from offset 0, messages about the storm's aggregates or poison only. */
  readonly topicMessages: readonly ConsumedMessage[];
}

/**
 * Dead letters of the storm are exactly the poisoned aggregates: each one stored once by the dlq-service (its API),
 * parked by the projector (its admin API), and no aggregate of the load dead-lettered or parked. The dead-letter
 * topic, read from offset 0, shows how often each was sent.
 */
export async function deadLetterCheck(poisoned: ReadonlySet<string>, loadAggregates: ReadonlySet<string>, sources: DeadLetterSources): Promise<CheckResult> {
  const stored = await allPages<DlqSummary>(
    `${sources.dlqUrl}/dlq/messages?limit=100&from=${encodeURIComponent(sources.since.toISOString())}`,
    sources.adminToken,
    (body) => body.messages as DlqSummary[],
  );
  const parked = await allPages<ParkedEntry>(`${sources.projectorUrl}/admin/parked?limit=100`, sources.adminToken, (body) => body.parked as ParkedEntry[]);
  const violations: string[] = [];
  for (const aggregateId of poisoned) {
    const messages = stored.filter((message) => message.aggregateId === aggregateId);
    if (messages.length !== 1) violations.push(`poisoned ${aggregateId}: ${messages.length} dlq-service messages, expected 1`);
    else if (messages[0]?.source !== 'projector') violations.push(`poisoned ${aggregateId}: dead-lettered by ${messages[0]?.source}`);
    if (!parked.some((entry) => entry.aggregateId === aggregateId)) violations.push(`poisoned ${aggregateId}: not parked by the projector`);
  }
  for (const message of stored.filter((candidate) => !poisoned.has(candidate.aggregateId ?? ''))) {
    violations.push(`unexpected dead letter ${message.id}: ${message.source} ${message.eventType ?? ''} ${message.aggregateId ?? ''} (${message.errorClass}, ${message.status})`);
  }
  for (const entry of parked.filter((candidate) => loadAggregates.has(candidate.aggregateId))) violations.push(`aggregate ${entry.aggregateId} of the load is parked`);
  const sends = new Map<string, number>();
  for (const message of sources.topicMessages) {
    const id = message.headers[DeadLetterHeader.eventId] ?? message.headers[DeadLetterHeader.aggregateId] ?? '';
    sends.set(id, (sends.get(id) ?? 0) + 1);
  }
  return checkResult('no dead letter but the poisoned ones', violations, {
    'poison events': poisoned.size,
    'dlq-service messages since the start': stored.length,
    'dead letters on the topic': sources.topicMessages.length,
    'repeated dead letters on the topic': [...sends.values()].reduce((sum, count) => sum + count - 1, 0),
  });
}
