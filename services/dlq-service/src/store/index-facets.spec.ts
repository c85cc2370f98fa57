import { drivingFacet, indexMoves, positionsOf } from './index-facets';
import type { DlqMessage } from '../messages/dlq-message';

const message: DlqMessage = {
  id: 'm-1',
  source: 'projector',
  topic: 'orders.events',
  headers: {},
  headersOmitted: false,
  eventType: 'OrderConfirmed',
  aggregateId: 'order-1',
  errorClass: 'ProjectionError',
  errorMessage: '',
  attempts: 1,
  firstFailedAt: new Date('2026-11-27T23:59:00Z'),
  lastFailedAt: new Date('2026-11-27T23:59:00Z'),
  status: 'parked',
  statusChangedAt: new Date('2026-11-27T23:59:00Z'),
  replayCount: 0,
  deliveries: new Set(['0:1']),
};

describe('the listing index', () => {
  it('lists a message under each attribute it has, in the partition of its last failure day', () => {
    expect(positionsOf({ ...message, topic: undefined }).map((position) => `${position.facet}=${position.value}@${position.day}`)).toEqual([
      'all=@2026-11-27',
      'source=projector@2026-11-27',
      'status=parked@2026-11-27',
      'errorClass=ProjectionError@2026-11-27',
      'eventType=OrderConfirmed@2026-11-27',
      'aggregateId=order-1@2026-11-27',
    ]);
  });

  it('moves only the rows whose position changes, and never deletes one it writes', () => {
    const replayed = indexMoves(message, { ...message, status: 'replayed' });
    expect(replayed.remove.map((position) => `${position.facet}=${position.value}`)).toEqual(['status=parked']);
    expect(replayed.write).toHaveLength(7);
    const failedAgain = indexMoves(message, { ...message, lastFailedAt: new Date('2026-11-28T00:01:00Z') });
    expect(failedAgain.remove).toHaveLength(7);
    expect(failedAgain.write.every((position) => position.day === '2026-11-28')).toBe(true);
    expect(indexMoves(undefined, message).remove).toEqual([]);
  });

  it('reads the partitions of the most selective filter given', () => {
    expect(drivingFacet({ status: 'parked', source: 'projector', aggregateId: 'order-1' })).toEqual({ facet: 'aggregateId', value: 'order-1' });
    expect(drivingFacet({ status: 'parked' })).toEqual({ facet: 'status', value: 'parked' });
    expect(drivingFacet({ from: new Date() })).toEqual({ facet: 'all', value: '' });
  });
});
