import type { ParkedHead } from './parked-head';
import { attemptsAfterFailedReplay, parkedRouteOf } from './parked-route';

const head: ParkedHead = {
  aggregateType: 'Order',
  aggregateId: 'o-1',
  topic: 'orders.events',
  partition: 1,
  sequence: 4,
  eventId: 'e-4',
  attempts: 5,
  errorClass: 'Error',
  errorMessage: 'poison',
  replayedOffset: undefined,
  parkedAt: new Date('2026-01-01T00:00:00.000Z'),
};

describe('parkedRouteOf', () => {
  it('applies the events of an aggregate that is not parked, replays included', () => {
    expect(parkedRouteOf(4, undefined, false)).toEqual({ route: 'apply' });
    expect(parkedRouteOf(4, undefined, true)).toEqual({ route: 'apply' });
  });

  it('applies events before the head of a parked aggregate: they are duplicates', () => {
    expect(parkedRouteOf(3, head, false)).toEqual({ route: 'apply' });
    expect(parkedRouteOf(3, head, true)).toEqual({ route: 'apply' });
  });

  it('holds later events of a parked aggregate, even one that claims to be a replay', () => {
    expect(parkedRouteOf(5, head, false)).toEqual({ route: 'hold' });
    expect(parkedRouteOf(9, head, true)).toEqual({ route: 'hold' });
  });

  it('replays the head when it carries a replay header, and dead-letters it again when it does not', () => {
    expect(parkedRouteOf(4, head, true)).toEqual({ route: 'replay', head });
    expect(parkedRouteOf(4, head, false)).toEqual({ route: 'redelivered-head', head });
  });
});

describe('attemptsAfterFailedReplay', () => {
  it('counts a failed replay as one more attempt, but a redelivery of the same replay only once', () => {
    expect(attemptsAfterFailedReplay(head, '120')).toBe(6);
    expect(attemptsAfterFailedReplay({ ...head, attempts: 6, replayedOffset: '120' }, '120')).toBe(6);
    expect(attemptsAfterFailedReplay({ ...head, attempts: 6, replayedOffset: '120' }, '121')).toBe(7);
  });
});
