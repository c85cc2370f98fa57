import { mapAtMost } from '@scylla-es/es-core';
import { checkResult, type CheckResult } from './check-result';
import { canonical, replayedState } from './replayed-state';
import type { StoredStream } from './stored-streams';

/** Fields of the query API that only the projection knows: its totals, times of application, the version, the count. */
const PROJECTION_FIELDS = new Set(['itemCount', 'totalQuantity', 'statusEnteredAt', 'lastEventAt', 'version', 'orderCount']);

/** The customer each stored order was created for. */
function ordersPerCustomer(streams: Iterable<StoredStream>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const stream of streams) {
    const created = stream.kind === 'Order' ? stream.events[0] : undefined;
    const customerId = (created?.data as { customerId?: string } | undefined)?.customerId;
    if (customerId) counts.set(customerId, (counts.get(customerId) ?? 0) + 1);
  }
  return counts;
}

/**
 * Every aggregate with stored events, read from the projector's query API, equals the domain's replay of its
 * events from event_store, at the version of its last event; a customer's order count is the number of its stored
 * orders.
 */
export async function readModelCheck(streams: ReadonlyMap<string, StoredStream>, projectorUrl: string, token: string): Promise<CheckResult> {
  const orderCounts = ordersPerCustomer(streams.values());
  const violations: string[] = [];
  let compared = 0;
  const withEvents = [...streams.values()].filter((stream) => stream.events.length > 0);
  await mapAtMost(withEvents, 8, async (stream) => {
    const path = `${stream.kind === 'Order' ? '/orders' : '/customers'}/${stream.aggregateId}`;
    const response = await fetch(`${projectorUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(30_000) });
    if (response.status !== 200) {
      violations.push(`${path}: ${response.status} (${stream.events.length} events stored)`);
      return;
    }
    compared += 1;
    const body = (await response.json()) as Record<string, unknown>;
    const modelled = Object.fromEntries(Object.entries(body).filter(([key]) => !PROJECTION_FIELDS.has(key)));
    if (canonical(modelled) !== canonical(replayedState(stream))) {
      violations.push(`${path}: read model ${canonical(modelled)} differs from the replay ${canonical(replayedState(stream))}`);
    }
    if (body.version !== stream.events.length) violations.push(`${path}: version ${String(body.version)}, ${stream.events.length} events stored`);
    if (stream.kind === 'Customer' && body.orderCount !== (orderCounts.get(stream.aggregateId) ?? 0)) {
      violations.push(`${path}: orderCount ${String(body.orderCount)}, ${orderCounts.get(stream.aggregateId) ?? 0} orders stored`);
    }
  });
  return checkResult('read models equal the replay of event_store', violations, { 'read models compared': compared });
}
