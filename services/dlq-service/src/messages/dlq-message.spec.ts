import type { DeadLetterRecord } from './dead-letter-record';
import { AlreadyReplayedError, checkReplayable, DiscardedMessageError, NotParkedError, recordDiscard, recordFailure, recordReplay, type DlqMessage } from './dlq-message';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 10, minute));

const letter = (overrides: Partial<DeadLetterRecord> = {}): DeadLetterRecord => ({
  id: 'm-1',
  delivery: '0:10',
  source: 'projector',
  topic: 'orders.events',
  key: 'order-1',
  headers: { 'event-type': 'OrderConfirmed' },
  headersOmitted: false,
  payload: Buffer.from('{}'),
  eventId: 'e-1',
  aggregateId: 'order-1',
  sequence: 3,
  errorClass: 'ProjectionError',
  errorMessage: 'boom',
  attempts: 5,
  failedAt: at(0),
  ...overrides,
});

/** Given a history of dead letters, the message they leave. */
function given(...letters: DeadLetterRecord[]): DlqMessage {
  let message: DlqMessage | undefined;
  for (const next of letters) message = recordFailure(message, next)?.message ?? message;
  if (!message) throw new Error('no message');
  return message;
}

describe('a dead-letter message', () => {
  it('is parked by its first dead letter, with the sender counts and times', () => {
    const change = recordFailure(undefined, letter());
    expect(change?.message).toMatchObject({ status: 'parked', attempts: 5, firstFailedAt: at(0), lastFailedAt: at(0), replayCount: 0 });
    expect(change?.audit).toMatchObject({ action: 'parked', actor: 'projector', entryId: 'dead-letter:0:10' });
  });

  it('ignores the same delivery twice', () => {
    expect(recordFailure(given(letter()), letter())).toBeUndefined();
  });

  it('takes a new failure as the last one, with the highest attempts, and parks a replayed message again', () => {
    const replayed = recordReplay(given(letter()), { by: 'alice', at: at(5) }, {}).message;
    const change = recordFailure(replayed, letter({ delivery: '0:11', attempts: 6, errorClass: 'StillBroken', failedAt: at(6) }));
    expect(change?.message).toMatchObject({ status: 'parked', attempts: 6, errorClass: 'StillBroken', firstFailedAt: at(0), lastFailedAt: at(6), statusChangedAt: at(6) });
    expect(change?.audit.action).toBe('failed-again');
  });

  it('does not let a late delivery of an older failure undo a replay or lower the attempts', () => {
    const replayed = recordReplay(given(letter({ attempts: 7, failedAt: at(3) })), { by: 'alice', at: at(5) }, {}).message;
    const change = recordFailure(replayed, letter({ delivery: '1:2', attempts: 2, errorClass: 'Older', failedAt: at(1) }));
    expect(change?.message).toMatchObject({ status: 'replayed', attempts: 7, errorClass: 'ProjectionError', lastFailedAt: at(3) });
  });

  it('is replayed again only when forced once replayed or discarded', () => {
    const parked = given(letter());
    expect(() => checkReplayable(parked, false)).not.toThrow();
    const replayed = recordReplay(parked, { by: 'alice', at: at(5) }, {}).message;
    expect(() => checkReplayable(replayed, false)).toThrow(AlreadyReplayedError);
    expect(() => checkReplayable(replayed, true)).not.toThrow();
    const discarded = recordDiscard(given(letter()), { by: 'bob', at: at(5) }, 'obsolete').message;
    expect(() => checkReplayable(discarded, false)).toThrow(DiscardedMessageError);
    expect(recordReplay(discarded, { by: 'alice', at: at(6) }, {}).message).toMatchObject({ status: 'replayed', replayCount: 1 });
  });

  it('is discarded only while parked, with the reason and the caller in its trail', () => {
    const change = recordDiscard(given(letter()), { by: 'bob', at: at(5) }, 'obsolete');
    expect(change.audit).toMatchObject({ action: 'discarded', actor: 'bob', detail: { reason: 'obsolete' } });
    expect(() => recordDiscard(change.message, { by: 'bob', at: at(6) }, 'again')).toThrow(NotParkedError);
  });
});
