import type { DlqMessage, DlqStatus } from '../messages/dlq-message';

/** The attributes a listing filters on; each one that is set on a message lists it under that value. */
export const FACETS = ['all', 'source', 'topic', 'status', 'errorClass', 'eventType', 'aggregateId'] as const;
export type Facet = (typeof FACETS)[number];

/** What a listing asks for: every given attribute must match (`from` inclusive, `to` exclusive). */
export interface MessageFilter {
  readonly source?: string;
  readonly topic?: string;
  readonly status?: DlqStatus;
  readonly errorClass?: string;
  readonly eventType?: string;
  readonly aggregateId?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/** A message's place in one facet's listing: newest last failure first, ties broken by id. */
export interface IndexPosition {
  readonly facet: Facet;
  readonly value: string;
  readonly day: string;
  readonly failedAt: Date;
  readonly id: string;
}

/** What a listing row shows, carried by every index row so a page needs no read of the messages. */
export interface MessageSummary {
  readonly id: string;
  readonly status: DlqStatus;
  readonly source: string;
  readonly topic?: string;
  readonly errorClass: string;
  readonly eventType?: string;
  readonly aggregateType?: string;
  readonly aggregateId?: string;
  readonly sequence?: number;
  readonly attempts: number;
  readonly firstFailedAt: Date;
  readonly lastFailedAt: Date;
}

/** UTC day of a time, `YYYY-MM-DD`: sorts as time, and bounds a partition to one day of failures. */
export const dayOf = (time: Date): string => time.toISOString().slice(0, 10);

const facetValue = (message: DlqMessage, facet: Facet): string | undefined =>
  facet === 'all' ? '' : facet === 'status' ? message.status : message[facet];

/** Every position a message is listed at. */
export function positionsOf(message: DlqMessage): IndexPosition[] {
  const day = dayOf(message.lastFailedAt);
  return FACETS.flatMap((facet) => {
    const value = facetValue(message, facet);
    return value === undefined ? [] : [{ facet, value, day, failedAt: message.lastFailedAt, id: message.id }];
  });
}

const keyOf = (position: IndexPosition): string =>
  [position.facet, position.value, position.day, position.failedAt.getTime(), position.id].join('\u0000');

/**
 * The index writes of a change: positions the message left are deleted, its current ones (re)written. A position
 * kept is never deleted: a delete and an insert of one row in one batch share a timestamp, and the delete wins.
 */
export function indexMoves(previous: DlqMessage | undefined, next: DlqMessage): { readonly remove: IndexPosition[]; readonly write: IndexPosition[] } {
  const write = positionsOf(next);
  const kept = new Set(write.map(keyOf));
  const remove = previous ? positionsOf(previous).filter((position) => !kept.has(keyOf(position))) : [];
  return { remove, write };
}

/** The filter that picks the partitions a listing reads: the most selective one given, else every message. */
export function drivingFacet(filter: MessageFilter): { readonly facet: Facet; readonly value: string } {
  for (const facet of ['aggregateId', 'eventType', 'errorClass', 'topic', 'source', 'status'] as const) {
    const value = filter[facet];
    if (value !== undefined) return { facet, value };
  }
  return { facet: 'all', value: '' };
}

/** Whether a listed message matches every attribute of the filter (the driving one holds already). */
export function matches(summary: MessageSummary, filter: MessageFilter): boolean {
  return (
    (filter.source === undefined || summary.source === filter.source) &&
    (filter.topic === undefined || summary.topic === filter.topic) &&
    (filter.status === undefined || summary.status === filter.status) &&
    (filter.errorClass === undefined || summary.errorClass === filter.errorClass) &&
    (filter.eventType === undefined || summary.eventType === filter.eventType) &&
    (filter.aggregateId === undefined || summary.aggregateId === filter.aggregateId) &&
    (filter.from === undefined || summary.lastFailedAt.getTime() >= filter.from.getTime()) &&
    (filter.to === undefined || summary.lastFailedAt.getTime() < filter.to.getTime())
  );
}

export function summaryOf(message: DlqMessage): MessageSummary {
  const { id, status, source, topic, errorClass, eventType, aggregateType, aggregateId, sequence, attempts, firstFailedAt, lastFailedAt } = message;
  return { id, status, source, topic, errorClass, eventType, aggregateType, aggregateId, sequence, attempts, firstFailedAt, lastFailedAt };
}
