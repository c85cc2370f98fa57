import type { RecordedEvent } from '@scylla-es/es-core';
import { CommandLedger, type FinalOutcome } from '../load/ledger';
import { commandChecks } from './command-checks';
import type { StoredStream } from './stored-streams';

const event = (sequence: number, commandId: string): RecordedEvent => ({
  eventId: `e-${commandId}-${sequence}`,
  type: 'CustomerRegistered',
  schemaVersion: 1,
  aggregateType: 'Customer',
  aggregateId: 'c1',
  sequence,
  occurredAt: new Date(0),
  data: {},
  metadata: { correlationId: 'x', commandId },
});

const stream = (events: RecordedEvent[], version = events.length): Map<string, StoredStream> =>
  new Map([['c1', { aggregateId: 'c1', kind: 'Customer', version, events }]]);

function ledgerOf(commands: [string, FinalOutcome][]): CommandLedger {
  const ledger = new CommandLedger();
  for (const [key, final] of commands) {
    const record = ledger.open({ key, aggregateKind: 'Customer', aggregateId: 'c1', name: 'register', expectRejection: false });
    record.attempts.push({ kind: 'timed-out', reason: 'TimeoutError', ms: 10_000 });
    record.final = final;
  }
  return ledger;
}

const failing = (results: ReturnType<typeof commandChecks>) => results.filter((result) => !result.passed).map((result) => [result.name, result.violations]);

describe('commandChecks', () => {
  it('passes a history where every acknowledged command left one event at its version and nothing else was stored', () => {
    const ledger = ledgerOf([
      ['k1', { kind: 'acknowledged', version: 1 }],
      ['k2', { kind: 'rejected', status: 409, problem: 'rule' }],
      ['k3', { kind: 'unresolved' }],
      ['k4', { kind: 'acknowledged', version: 3 }],
    ]);
    const results = commandChecks(ledger.commands, stream([event(1, 'k1'), event(2, 'k3'), event(3, 'k4')]));
    expect(failing(results)).toEqual([]);
    expect(results[0]?.figures).toEqual({ 'acknowledged after a lost answer (same key)': 2, 'commands stored more than once': 0 });
    expect(results[1]?.figures).toEqual({ 'unsettled commands found applied': 1 });
  });

  it('names a lost acknowledged command, a command stored twice, a refused one stored and an event nobody sent', () => {
    const ledger = ledgerOf([
      ['lost', { kind: 'acknowledged', version: 4 }],
      ['twice', { kind: 'acknowledged', version: 1 }],
      ['refused', { kind: 'rejected', status: 422, problem: 'missing' }],
    ]);
    const results = commandChecks(ledger.commands, stream([event(1, 'twice'), event(2, 'twice'), event(3, 'refused'), event(4, 'stranger')]));
    expect(failing(results)).toEqual([
      [
        'acknowledged commands stored exactly once',
        ['lost (register on c1): acknowledged at version 4, no event stored', 'twice (register): stored 2 times: c1#1, c1#2'],
      ],
      [
        'refused and unsettled commands left no partial write',
        ['refused (register): refused with 422 missing, yet stored: c1#3', 'events of unknown command stranger: c1#4'],
      ],
    ]);
  });

  it('names a gap in the sequences and a head version that disagrees with the events', () => {
    const ledger = ledgerOf([['k1', { kind: 'acknowledged', version: 1 }], ['k3', { kind: 'acknowledged', version: 3 }]]);
    const results = commandChecks(ledger.commands, stream([event(1, 'k1'), event(3, 'k3')], 3));
    expect(failing(results)).toEqual([['event_store sequences contiguous', ['c1: sequences [1,3]', 'c1: head version 3, 2 events']]]);
  });
});
